/** The check run's name: users make it a required check by this name, so it never changes. */
export const CHECK_RUN_NAME = "Backend Review";
