export async function runRendererBench(): Promise<void> {}
