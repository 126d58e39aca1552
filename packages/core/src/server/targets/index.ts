// Targets for the locally retained taxes: the import of targets and monthly actuals, and progress.
export * from "./import.ts";
export * from "./progress.ts";
