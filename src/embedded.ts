// What the single executable (scripts/build-dist.ts) carries inside itself. Its entry (cli/sea-main.ts) registers a
// reader for the embedded assets here; installed from npm there is none, and callers use the files on disk instead.
// This lowest layer holds only the registry, so any folder may ask without importing node:sea (absent before 20.12).

export type AssetReader = (name: string) => ArrayBuffer | null;

let reader: AssetReader | null = null;

/** Called once by the single executable's entry, before the command line runs. */
export function registerEmbeddedAssets(read: AssetReader): void {
  reader = read;
}

/** True in the single executable. */
export function isSingleExecutable(): boolean {
  return reader !== null;
}

/** An asset embedded in the single executable by name, or null (installed from npm, or no such asset). */
export function embeddedAsset(name: string): Buffer | null {
  const bytes = reader?.(name) ?? null;
  return bytes === null ? null : Buffer.from(bytes);
}
