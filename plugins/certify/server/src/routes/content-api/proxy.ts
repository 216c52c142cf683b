/** Timing partners push results with a per-source token (filled in by the data sources issue). */
export default [] as Array<Record<string, unknown>>;
