// The library's public surface: re-exports only.
export { type AnalyzeOptions, analyze, type Progress } from './analyze/analyze.js';
export type {
  Analysis,
  Cause,
  Confidence,
  Evidence,
  Incident,
  MissingSource,
  OomFigures,
  OtherOomKill,
  SourceKind,
  SourceReport,
} from './contract/analysis.js';
export { ERROR_CODES, type ErrorCode, OomsleuthError } from './errors.js';
export type { Language } from './report/language.js';
