import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { Store } from '../../store/store';
import type { CalendarFiles } from '../calendar/calendar-files';
import type { PersonLinks } from '../registrations/person-links';
import { EmailRenderer, type AppointmentEmailWriter } from './email-renderer';
import { EmlDirectoryTransport, SmtpTransport, type MailTransport } from './mail-transport';
import { OutboxSender } from './outbox-sender';

export interface Mail {
  renderer: EmailRenderer;
  transport: MailTransport;
  sender: OutboxSender;
}

/** The transport the config names: SMTP_URL's server, or `.eml` files in `DATA_DIR/outbox/` (the default). */
export function mailTransportOf(config: Pick<Config, 'smtpUrl' | 'dataDir'>): MailTransport {
  return config.smtpUrl ? new SmtpTransport(config.smtpUrl) : new EmlDirectoryTransport(join(config.dataDir, 'outbox'));
}

/** Builds the renderer, the transport and the sender, for the composition root. */
export function createMail(deps: {
  config: Pick<Config, 'smtpUrl' | 'dataDir' | 'mailFrom'>;
  store: Store;
  links: PersonLinks;
  files: CalendarFiles;
  /** The writer of help-desk appointments' emails (modules/appointments). */
  appointments?: AppointmentEmailWriter;
  log: Logger;
}): Mail {
  const { config, store, links, files, log } = deps;
  const renderer = new EmailRenderer({
    store,
    links,
    files,
    from: config.mailFrom.header,
    fromAddress: config.mailFrom.address,
    fromName: config.mailFrom.name,
    ...(deps.appointments && { appointments: deps.appointments }),
  });
  const transport = mailTransportOf(config);
  const sender = new OutboxSender({ store, renderer, transport, log: log.child({ module: 'mail' }) });
  return { renderer, transport, sender };
}
