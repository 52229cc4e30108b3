// A follower the test feeds by hand: lines pushed now, with file-like positions (one inode, growing offsets), so a
// "restart" that replays the same lines gives them the same keys.
import type { Follower, FollowSink } from '../../../src/sources/follow/follower.js';
import type { FilePosition, FollowPosition } from '../../../src/sources/follow/position.js';

export class FakeFollower implements Follower {
  readonly key: string;
  private sink: FollowSink | null = null;
  private seq = 0;
  private offset = 0;
  ino: number;
  started: FollowPosition | null = null;

  constructor(
    readonly displayPath: string,
    private readonly sourceId: number,
  ) {
    this.key = `file:${displayPath}`;
    this.ino = [...displayPath].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7);
  }

  async start(resume: FollowPosition | null, sink: FollowSink): Promise<void> {
    this.started = resume;
    this.sink = sink;
    sink.up(true);
  }

  async stop(): Promise<void> {
    this.sink = null;
  }

  /** The same name now holds another file (a rotation's new file, or a copy read instead): new inode, offset 0. */
  newInode(): void {
    this.ino += 1;
    this.offset = 0;
  }

  push(texts: readonly string[]): void {
    if (!this.sink || texts.length === 0) return;
    const positions: FilePosition[] = [];
    const lines = texts.map((text) => {
      positions.push({
        kind: 'file',
        dev: 1,
        ino: this.ino,
        offset: this.offset,
        lineNo: this.seq + 1,
        head: '',
      });
      this.offset += Buffer.byteLength(text) + 1;
      return { sourceId: this.sourceId, lineNo: ++this.seq, text, truncated: false };
    });
    const next: FilePosition = {
      kind: 'file',
      dev: 1,
      ino: this.ino,
      offset: this.offset,
      lineNo: this.seq + 1,
      head: '',
    };
    this.sink.batch({ lines, positions, next });
  }
}
