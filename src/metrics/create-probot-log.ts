import { Probot, type Logger } from "probot";
import { redactLog } from "./redact-log.js";

type LogLevel = NonNullable<ConstructorParameters<typeof Probot>[0]>["logLevel"];

/**
 * The logger `run()` would make from the environment (LOG_LEVEL, LOG_FORMAT: JSON by default
 * when NODE_ENV=production, LOG_LEVEL_IN_STRING, LOG_MESSAGE_KEY, SENTRY_DSN), with secrets
 * censored. Probot 14 exports no logger factory and pino is not our dependency, so a Probot
 * that is never used for anything else builds it; its name stays "probot", as run()'s does.
 */
export async function createProbotLog(env: NodeJS.ProcessEnv = process.env): Promise<Logger> {
  const probot = new Probot({
    githubToken: "unused: this Probot only builds the logger",
    logLevel: (env.LOG_LEVEL || "info") as LogLevel,
    logFormat: env.LOG_FORMAT ? (env.LOG_FORMAT === "pretty" ? "pretty" : "json") : env.NODE_ENV === "production" ? "json" : "pretty",
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    logMessageKey: env.LOG_MESSAGE_KEY,
    sentryDsn: env.SENTRY_DSN,
  });
  await probot.ready();
  return redactLog(probot.log);
}
