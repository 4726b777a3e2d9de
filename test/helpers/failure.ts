import assert from 'node:assert/strict';

/** The error an async call throws (fails the test when it doesn't throw). */
export async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected an error');
}
