/** Reporter names, apart from the reporters so `--help` can list them without loading them. */
export const REPORTERS = ["pretty", "json", "markdown", "junit", "github"] as const;
export type ReporterName = (typeof REPORTERS)[number];
