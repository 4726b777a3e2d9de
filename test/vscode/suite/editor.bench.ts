/**
 * The editor benchmark's part inside VS Code (run by bench/vscodeEditor.mjs, not by the tests): edits
 * one large TypeScript file of the synthetic workspace through the editor, as typing does, and times
 * each keystroke from the edit to the extension's published analysis (diagnostics set). Also the CPU
 * the extension host process used per keystroke (all of it: document sync, analysis, code lenses).
 * The same one-line edits on a copy of the file the extension ignores are the baseline: about what VS
 * Code spends on a keystroke by itself (in a row, and with a pause after each). Phase edges are logged as `pgir-bench:<phase>:<start|end>` with quiet
 * gaps around them, so the runner can read the window's own counters at the same points.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { api, ours, sleep } from './helpers';

interface BenchConfig {
  file: string;
  /** A copy of `file` the extension ignores: the same edits there cost what VS Code itself spends on them. */
  baseline: string;
  /** 0-based lines with a `take: N` the one-line edits change. */
  editLines: number[];
  edits: number;
  lineEdits: number;
  /** One-line edits each followed by a pause, as one types and stops to look. */
  pausedEdits: number;
  pauseMs: number;
  warmup: number;
}

interface Phase {
  /** Keystroke to published analysis (in the baseline, to the edit applied: there is no analysis). */
  latencyMs: number[];
  /** Keystroke to the edit applied, as the extension host's document has it. */
  appliedMs: number[];
  /** The extension's own timings of each analysis (none in the baseline). */
  updateMs: number[];
  analyzeMs: number[];
  publishMs: number[];
  /** The extension host process's CPU (user + system) over the phase, per keystroke. */
  hostCpuMsPerKeystroke: number;
  keystrokes: number;
  /** Keystrokes whose analysis sent diagnostics to the window (the edited file's, mostly). */
  diagnosticsSent: number;
}

const QUIET_MS = 600;

/** PGIR_VSCODE_BENCH_PROFILE=prefix: a CPU profile of the extension host's main thread over each phase. */
async function startProfile(): Promise<() => Promise<object>> {
  const inspector = await import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (err, r) => (err ? reject(err) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const { profile } = await post('Profiler.stop');
    session.disconnect();
    return profile;
  };
}

describe('editor latency in VS Code', () => {
  it('edits a large file and times each keystroke to its published analysis', async function () {
    this.timeout(60 * 60_000);
    const config = JSON.parse(process.env.PGIR_VSCODE_BENCH ?? '') as BenchConfig;
    const out = process.env.PGIR_VSCODE_BENCH_OUT;
    assert.ok(out, 'PGIR_VSCODE_BENCH_OUT: where to write the figures');
    const a = await api();
    const show = async (file: string) => {
      const doc = await vscode.workspace.openTextDocument(file);
      const editor = await vscode.window.showTextDocument(doc, { preview: false });
      await sleep(QUIET_MS);
      await a.whenIdle();
      return editor;
    };

    type Timing = { latency: number; applied: number; analysis?: { updateMs: number; analyzeMs: number; publishMs: number; filesSent: number } };
    const keystroke = async (editor: vscode.TextEditor, edit: (b: vscode.TextEditorEdit) => void, analysed = true): Promise<Timing> => {
      const published = analysed ? a.nextAnalysis() : undefined;
      const t0 = performance.now();
      const ok = await editor.edit(edit, { undoStopBefore: false, undoStopAfter: false });
      const applied = performance.now() - t0;
      assert.ok(ok, 'the editor applied the edit');
      if (!published) return { latency: applied, applied };
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no analysis within 30 s of an edit')), 30_000)));
      try {
        await Promise.race([published, timedOut]);
      } finally {
        clearTimeout(timer);
      }
      const latency = performance.now() - t0;
      return { latency, applied, analysis: await published };
    };

    const phase = async (name: string, count: number, step: (k: number) => Promise<Timing>): Promise<Phase> => {
      for (let k = 0; k < config.warmup; k++) await step(k); // the first keystrokes compile the edit path
      await sleep(QUIET_MS); // what the last of them set off in the window, before the window's counter is read
      await a.whenIdle();
      console.log(`pgir-bench:${name}:start`);
      await sleep(QUIET_MS);
      const profile = process.env.PGIR_VSCODE_BENCH_PROFILE ? await startProfile() : undefined;
      let diagnosticsSent = 0;
      const cpu0 = process.cpuUsage();
      const latencyMs: number[] = [];
      const appliedMs: number[] = [];
      const updateMs: number[] = [];
      const analyzeMs: number[] = [];
      const publishMs: number[] = [];
      let keystrokes = 0;
      for (let k = config.warmup; k < config.warmup + count; k++) {
        const t = await step(k);
        latencyMs.push(t.latency);
        appliedMs.push(t.applied);
        if (t.analysis) {
          updateMs.push(t.analysis.updateMs);
          analyzeMs.push(t.analysis.analyzeMs);
          publishMs.push(t.analysis.publishMs);
          if (t.analysis.filesSent > 0) diagnosticsSent++;
        }
        keystrokes++;
      }
      await sleep(QUIET_MS); // code lenses and other requests that follow an analysis
      await a.whenIdle();
      const cpu = process.cpuUsage(cpu0);
      if (profile) fs.writeFileSync(`${process.env.PGIR_VSCODE_BENCH_PROFILE}.${name}.cpuprofile`, JSON.stringify(await profile()));
      console.log(`pgir-bench:${name}:end`);
      await sleep(QUIET_MS);
      // The quiet gap after the last edit is inside the CPU window: what the last keystrokes set off is counted.
      return { latencyMs, appliedMs, updateMs, analyzeMs, publishMs, hostCpuMsPerKeystroke: (cpu.user + cpu.system) / 1000 / keystrokes, keystrokes, diagnosticsSent };
    };

    // A one-line edit: a new number in a `take: N` (the text of one query changes, no line moves).
    const oneLineEdit = (editor: vscode.TextEditor, analysed: boolean) => (k: number) => {
      const ln = config.editLines[(k * 7) % config.editLines.length];
      const m = /take: \d+/.exec(editor.document.lineAt(ln).text);
      assert.ok(m, `line ${ln + 1} has a take: N`);
      const range = new vscode.Range(ln, m.index, ln, m.index + m[0].length);
      let take = 11 + ((k * 13) % 89);
      if (m[0] === `take: ${take}`) take++; // an edit that changes nothing is not analysed
      return keystroke(editor, (b) => b.replace(range, `take: ${take}`), analysed);
    };

    // Typing with pauses: after each keystroke VS Code has time to ask for the file's code lenses again
    // (it waits while keystrokes keep coming), which back-to-back edits never let it do.
    const withPauses = (edit: (k: number) => Promise<Timing>) => async (k: number) => {
      const t = await edit(k + config.edits);
      await sleep(config.pauseMs);
      return t;
    };

    const baselineEditor = await show(config.baseline);
    const baseline = await phase('baseline', config.edits, oneLineEdit(baselineEditor, false));
    const pausedBaseline = await phase('pausedBaseline', config.pausedEdits, withPauses(oneLineEdit(baselineEditor, false)));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    const editor = await show(config.file);
    const diagnostics = ours(editor.document.uri).length;
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)) ?? [];
    const codeLenses = lenses.filter((l) => l.command?.command.startsWith('pgIndexReview.')).length;
    const oneLine = await phase('oneLine', config.edits, oneLineEdit(editor, true));
    const paused = await phase('paused', config.pausedEdits, withPauses(oneLineEdit(editor, true)));
    // A line added (Enter and a comment), then removed again: every query below it moves.
    const lineEdits = await phase('lineEdits', config.lineEdits * 2, (k) => {
      const ln = config.editLines[(Math.floor(k / 2) * 11) % config.editLines.length];
      if (k % 2 === 0) return keystroke(editor, (b) => b.insert(new vscode.Position(ln + 1, 0), `    // note ${k}\n`));
      return keystroke(editor, (b) => b.delete(new vscode.Range(ln + 1, 0, ln + 2, 0)));
    });

    fs.writeFileSync(out, JSON.stringify({ file: config.file, lines: editor.document.lineCount, diagnostics, codeLenses, baseline, pausedBaseline, oneLine, paused, lineEdits }));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
