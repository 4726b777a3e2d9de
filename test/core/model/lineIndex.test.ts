/**
 * LineIndex breaks lines where VS Code's text model (and LSP) does: at CRLF (one break), a lone CR
 * and a lone LF; never at U+2028 / U+2029. The reference below is VS Code's own line split
 * (`splitLines` in vs/base/common/strings.ts: `str.split(/\r\n|\r|\n/)`).
 */
import assert from 'node:assert/strict';
import { LineIndex, type Position } from '../../../src/core/model/location';

/** Every offset's position as VS Code computes it from its lines (the end of the line inside a CRLF). */
function reference(text: string): Position[] {
  const out: Position[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let start = 0;
  lines.forEach((line, i) => {
    const brk = i < lines.length - 1 ? (text.startsWith('\r\n', start + line.length) ? 2 : 1) : 0;
    for (let c = 0; c <= line.length + brk; c++) {
      if (c === line.length + brk && i < lines.length - 1) break; // that offset starts the next line
      out.push({ line: i, character: Math.min(c, line.length) });
    }
    start += line.length + brk;
  });
  return out;
}

/** The offset of the first `ch` in `text`. */
const at = (text: string, ch: string) => {
  const i = text.indexOf(ch);
  assert.ok(i >= 0, ch);
  return i;
};

describe('LineIndex', () => {
  it('CR-only text (old Mac): every lone \\r ends a line', () => {
    const text = 'ab\rcd\r\ref';
    const li = new LineIndex(text);
    assert.equal(li.lineCount, 4);
    assert.deepEqual(li.position(at(text, 'a')), { line: 0, character: 0 });
    assert.deepEqual(li.position(at(text, 'b')), { line: 0, character: 1 });
    assert.deepEqual(li.position(at(text, 'c')), { line: 1, character: 0 });
    assert.deepEqual(li.position(at(text, 'd')), { line: 1, character: 1 });
    assert.deepEqual(li.position(at(text, 'e')), { line: 3, character: 0 });
    assert.deepEqual(li.position(at(text, 'f')), { line: 3, character: 1 });
    assert.deepEqual(li.position(6), { line: 2, character: 0 }, 'the empty line');
    assert.deepEqual(li.position(text.length), { line: 3, character: 2 });
    assert.equal(li.offset({ line: 1, character: 1 }), at(text, 'd'));
    assert.equal(li.offset({ line: 3, character: 0 }), at(text, 'e'));
    assert.equal(li.lineStart(2), 6);
  });

  it('CRLF text: \\r\\n is one break; an offset between \\r and \\n is the end of its line', () => {
    const text = 'ab\r\ncd\r\n\r\nef';
    const li = new LineIndex(text);
    assert.equal(li.lineCount, 4);
    assert.deepEqual(li.position(at(text, 'c')), { line: 1, character: 0 });
    assert.deepEqual(li.position(at(text, 'e')), { line: 3, character: 0 });
    assert.deepEqual(li.position(at(text, 'f')), { line: 3, character: 1 });
    assert.deepEqual(li.position(2), { line: 0, character: 2 }, 'the \\r');
    assert.deepEqual(li.position(3), { line: 0, character: 2 }, 'between \\r and \\n');
    assert.equal(li.offset({ line: 3, character: 1 }), at(text, 'f'));
  });

  it('LF text', () => {
    const text = 'ab\ncd\n\nef\n';
    const li = new LineIndex(text);
    assert.equal(li.lineCount, 5);
    assert.deepEqual(li.position(at(text, 'c')), { line: 1, character: 0 });
    assert.deepEqual(li.position(at(text, 'f')), { line: 3, character: 1 });
    assert.deepEqual(li.position(text.length), { line: 4, character: 0 });
    assert.equal(li.offset({ line: 3, character: 0 }), at(text, 'e'));
  });

  it('mixed text: CR, CRLF and LF in one file; \\n\\r is two breaks', () => {
    const text = 'a\rb\r\nc\nd\n\re\r';
    const li = new LineIndex(text);
    // a | b | c | d | (empty) | e | (empty)
    assert.equal(li.lineCount, 7);
    assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((ch) => li.position(at(text, ch))), [
      { line: 0, character: 0 },
      { line: 1, character: 0 },
      { line: 2, character: 0 },
      { line: 3, character: 0 },
      { line: 5, character: 0 },
    ]);
    assert.deepEqual(li.position(at(text, 'd') + 2), { line: 4, character: 0 });
    assert.deepEqual(li.position(text.length), { line: 6, character: 0 });
  });

  it('U+2028 and U+2029 are not line breaks (VS Code and LSP do not break there; only TypeScript does)', () => {
    const text = 'a\u2028b\u2029c\nd';
    const li = new LineIndex(text);
    assert.equal(li.lineCount, 2);
    assert.deepEqual(li.position(at(text, 'c')), { line: 0, character: 4 });
    assert.deepEqual(li.position(at(text, 'd')), { line: 1, character: 0 });
  });

  it('every offset: the position VS Code gives, and back to the same offset', () => {
    const texts = ['', '\r', '\n', '\r\n', '\n\r', 'x\r\r\ny\n\n\rz', 'SELECT 1;\rSELECT 2;\r\n-- c\n\rSELECT 3;', 'ab\rcd\r\ref', 'é\r😀\r\nx'];
    for (const text of texts) {
      const li = new LineIndex(text);
      const expected = reference(text);
      assert.equal(expected.length, text.length + 1, JSON.stringify(text));
      for (let o = 0; o <= text.length; o++) {
        assert.deepEqual(li.position(o), expected[o], `${JSON.stringify(text)} @ ${o}`);
        const inCrlf = o > 0 && text[o - 1] === '\r' && text[o] === '\n';
        if (!inCrlf) assert.equal(li.offset(li.position(o)), o, `${JSON.stringify(text)} @ ${o}`);
      }
      assert.equal(li.lineCount, text.split(/\r\n|\r|\n/).length);
    }
  });
});
