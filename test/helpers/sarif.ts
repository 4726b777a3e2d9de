/** Validation against the official SARIF 2.1.0 JSON schema (draft-04), via ajv-draft-04. */
import Ajv from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';

let validate: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!validate) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false, allErrors: true });
    validate = ajv.compile(schema);
  }
  return validate;
}

/** The schema errors for `log`, or [] when it is a valid SARIF 2.1.0 log. */
export function sarifErrors(log: unknown): ErrorObject[] {
  const v = validator();
  return v(log) ? [] : [...(v.errors ?? [])];
}

export function describeErrors(errors: ErrorObject[]): string {
  return errors
    .slice(0, 10)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n');
}
