import { describe, expect, it } from 'vitest';
import { exportFileName, exportUrl } from './exports';

describe('exports', () => {
  it('asks the export route of the event', () => {
    expect(exportUrl('evt 1', 'questions.csv')).toBe('/api/events/evt%201/export/questions.csv');
  });

  it('saves under the name the server gives', () => {
    expect(exportFileName('e1', 'polls.md', 'attachment; filename="conference-polls.md"')).toBe('conference-polls.md');
    expect(exportFileName('e1', 'polls.md', "attachment; filename*=UTF-8''caf%C3%A9-questions.csv")).toBe('café-questions.csv');
    expect(exportFileName('e1', 'questions.csv', 'attachment; filename=plain.csv')).toBe('plain.csv');
  });

  it('falls back to the event and export names, never a path', () => {
    expect(exportFileName('e1', 'questions.csv', null)).toBe('e1-questions.csv');
    expect(exportFileName('e1', 'questions.csv', 'attachment; filename="../../etc/passwd"')).toBe('e1-questions.csv');
    expect(exportFileName('a/b c', 'polls.csv', 'attachment')).toBe('a-b-c-polls.csv');
  });
});
