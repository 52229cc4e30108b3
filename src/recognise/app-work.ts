// What the app was busy with, told by words in its own lines: content collection (采集), batch import (导入), uploads,
// image conversion. The diagnosis counts these lines in the minutes before an OOM death ("27 collection lines in the
// last 10 minutes"). A data table with sample lines, as the recognisers are; the words are needles of the app log.

export type WorkKind = 'collect' | 'import' | 'upload' | 'image';

export const WORK_KINDS: readonly WorkKind[] = ['collect', 'import', 'upload', 'image'];

export interface WorkWords {
  readonly work: WorkKind;
  /** Substrings (case as printed) any of which marks a line as this work. */
  readonly words: readonly string[];
  /** Lines as AnQiCMS and its kin print them, with the work they must be read as (null: none). */
  readonly samples: readonly { readonly line: string; readonly expect: WorkKind | null }[];
}

/** Tried in order: a line naming two kinds of work counts as the first (a thumbnail of a file under /uploads/ is image
 * conversion, so image goes before upload). */
export const WORK_TABLE: readonly WorkWords[] = [
  {
    work: 'collect',
    // AnQiCMS's collector (内容采集): `采集任务开始`, `采集完成`; its English builds say `collector`.
    words: ['采集', 'collector:', 'Collector '],
    samples: [
      { line: '2024/07/23 09:58:02 采集任务开始: 关键词 网站建设', expect: 'collect' },
      { line: '2024/07/23 09:45:24 采集完成: 新增 15 篇文章', expect: 'collect' },
      { line: '2024/07/23 09:58:40 collector: fetching https://example.com/list?page=3', expect: 'collect' },
      { line: 'GC forced: garbage collected 12 MB', expect: null },
    ],
  },
  {
    work: 'import',
    words: ['导入', 'import ', 'Import '],
    samples: [
      { line: '2024/07/23 03:00:05 开始导入文章: articles.xlsx 共 20000 条', expect: 'import' },
      { line: '2024/07/23 03:00:09 导入进度: 4000/20000', expect: 'import' },
      { line: '2024/07/23 03:00:05 import started: products.csv (52000 rows)', expect: 'import' },
      { line: '2024/07/23 03:00:05 imported', expect: null },
    ],
  },
  {
    work: 'image',
    words: ['webp', 'WebP', '缩略图', 'thumbnail'],
    samples: [
      { line: '2024/07/23 02:00:12 生成缩略图: /uploads/202407/a.jpg', expect: 'image' },
      { line: '2024/07/23 02:00:12 转换webp: 1200 张图片', expect: 'image' },
      { line: '2024/07/23 02:00:12 sitemap 生成完成，共 1280 条链接', expect: null },
    ],
  },
  {
    work: 'upload',
    words: ['上传', 'upload'],
    samples: [
      { line: '2024/07/23 11:20:31 上传文件: /uploads/202407/video.mp4 (812MB)', expect: 'upload' },
      { line: '[INFO] 2024/07/23 11:20 200 POST /api/attachment/upload', expect: 'upload' },
    ],
  },
];

/** Every word of the table, for the app log's prefilter: a line holding one is decoded. */
export const WORK_NEEDLES: readonly string[] = WORK_TABLE.flatMap((w) => w.words);

/** The work a line of the app names, or null. A handful of `includes`, run only on lines the prefilter decoded. */
export function workOf(message: string): WorkKind | null {
  for (const entry of WORK_TABLE)
    for (const word of entry.words) if (message.includes(word)) return entry.work;
  return null;
}
