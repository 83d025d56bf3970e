// The processor signals a permanent failure (no retry) with BullMQ's own error class; re-exported
// here so that only src/queue imports bullmq.
export { UnrecoverableError } from "bullmq";
