// The worker throughput part of `npm run bench` alone: `tsx scripts/bench/run-reviews-bench.ts`
// (BENCH_RUNS or BENCH_REVIEW_RUNS runs per concurrency, BENCH_REVIEWS pull requests a run).
import { measureReviews } from "./reviews.js";

const root = new URL("../..", import.meta.url).pathname;
const result = await measureReviews({ root, runs: Number(process.env.BENCH_RUNS ?? 3) });
console.log(JSON.stringify(result));
