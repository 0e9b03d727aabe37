/*
 * The pages only staff (and invited people) open, in their own chunk: the root loads it the first time one of them
 * is shown, so the audience never downloads them. The custom elements upgrade in place when it arrives.
 */
import './parvis-admin-audit-page';
import './parvis-admin-event-page';
import './parvis-admin-forbidden-page';
import './parvis-admin-help-desks-page';
import './parvis-admin-login-page';
import './parvis-admin-outbox-page';
import './parvis-admin-programme-page';
import './parvis-admin-registrations-page';
import './parvis-admin-setup-page';
import '../invite/parvis-invite-page';
import '../audience/parvis-admin-figures-page';
import '../audience/parvis-admin-event-figures-page';
import '../captions/parvis-caption-desk-page';
