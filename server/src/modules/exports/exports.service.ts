import type { Event } from '#shared/domain/event';
import type { Store } from '../../store/store';
import { pollsCsv, pollsMarkdown, questionsCsv, questionsMarkdown } from './report';

export const EXPORT_FILES = ['questions.csv', 'questions.md', 'polls.csv', 'polls.md'] as const;
export type ExportFile = (typeof EXPORT_FILES)[number];

/** Reads what the reports need from the store and formats them. */
export class ExportService {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The body of one export file of an event. */
  async render(event: Event, file: ExportFile): Promise<string> {
    switch (file) {
      case 'questions.csv':
        return questionsCsv(event, await this.store.questions.list(event.id));
      case 'questions.md':
        return questionsMarkdown(event, await this.store.questions.list(event.id), this.now());
      case 'polls.csv':
        return pollsCsv(event, await this.store.polls.listPolls(event.id));
      case 'polls.md':
        return pollsMarkdown(event, await this.store.polls.listPolls(event.id), this.now());
    }
  }
}
