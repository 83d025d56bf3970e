import { readFileSync } from "node:fs";

/**
 * CPU time (user + system) a process has used so far, from /proc (Linux; undefined elsewhere).
 * Steadier than throughput on a shared machine: other processes slow a run down, but hardly
 * change how much CPU one delivery costs.
 */
export function readCpuMs(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces, hence the last ')'): utime is 14th, stime 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}
