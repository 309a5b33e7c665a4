export async function runMemoryBench(): Promise<void> {}
