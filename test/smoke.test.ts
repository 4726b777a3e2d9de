import assert from 'node:assert/strict';
import { LineIndex } from '../src/core/model/location';
describe('LineIndex', () => {
  it('maps offsets to lines', () => {
    const li = new LineIndex('ab\ncd');
    assert.deepEqual(li.position(4), { line: 1, character: 1 });
  });
});
