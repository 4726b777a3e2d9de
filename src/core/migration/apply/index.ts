export { applyMigration, type ApplyEvent, type ApplyOptions, type ApplyResult, type BuildProgress, type StepReport } from './apply';
export { formatBytes, previewSteps, type StepPreview } from './dryRun';
export { HISTORY_TABLE, readRecord, type AppliedRecord } from './history';
export { checksumOf, migrationSteps, type MigrationSteps, type Step } from './steps';
export { checkTarget, parseDuration, parseTarget, refusal, type TargetCheck } from './target';
