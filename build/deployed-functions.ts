/**
 * Every deployed function: its name (the entry point and its folder under dist/functions)
 * and module. Its own module, free of esbuild, so `npm run serve` can name the functions
 * without loading the build.
 */
export const deployedFunctions = {
  api: 'functions/api/index.ts',
  'oauth-callback': 'functions/oauth-callback/index.ts',
  'run-initializer': 'functions/run-initializer/index.ts',
  extraction: 'functions/extraction/index.ts',
  'drive-import': 'functions/drive-import/index.ts',
  'gmail-import': 'functions/gmail-import/index.ts',
  'gmail-push': 'functions/gmail-push/index.ts',
  cleanup: 'functions/cleanup/index.ts',
  export: 'functions/export/index.ts',
  'export-on-run-completed': 'functions/export/on-run-completed.ts',
  webhook: 'functions/webhook/index.ts',
} as const;

export type DeployedFunction = keyof typeof deployedFunctions;
