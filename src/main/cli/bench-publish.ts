export async function runPublishBench(): Promise<void> {}
