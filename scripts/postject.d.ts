// The part of postject's API scripts/build-dist.ts uses (the package ships no types).
declare module 'postject' {
  export function inject(
    filename: string,
    resourceName: string,
    resourceData: Buffer,
    options?: { sentinelFuse?: string; overwrite?: boolean; machoSegmentName?: string },
  ): Promise<void>;
}
