import { expect, type Locator, type Page } from '@playwright/test';
import { liveInboundReader, recordPeerConnections, type LiveInbound } from './webrtc-stats';

/*
 * A person in the room page (/events/:id/room), driven as they would: from their personal page's "Rejoindre la salle en
 * ligne" (a registrant) or straight to the room's address (staff, signed in), through the camera and microphone check,
 * into the grid. What their browser receives is read from its own getStats() (webrtc-stats.ts).
 */
export class InRoom {
  readonly #receiving: () => Promise<LiveInbound>;

  private constructor(
    readonly name: string,
    readonly page: Page,
  ) {
    this.#receiving = liveInboundReader(page);
  }

  /** Call before the page opens the room, so that its peer connections are kept. */
  static async prepare(name: string, page: Page): Promise<InRoom> {
    await recordPeerConnections(page);
    return new InRoom(name, page);
  }

  /** A registrant: their personal link, then the room's link on their registration's card. */
  async enterFromPersonalLink(link: string): Promise<void> {
    await this.page.goto(link);
    await this.page.getByRole('link', { name: 'Rejoindre la salle en ligne' }).click();
    await this.passTheCheck();
  }

  /** Staff: the room's address, signed in. */
  async enterAsStaff(eventId: string): Promise<void> {
    await this.page.goto(`/events/${eventId}/room`);
    await this.passTheCheck();
  }

  async passTheCheck(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Avant d’entrer : votre caméra et votre micro' })).toBeVisible();
    await this.page.getByRole('button', { name: 'Entrer dans la salle' }).click();
    await expect(this.grid()).toBeVisible();
  }

  grid(): Locator {
    return this.page.getByRole('region', { name: 'Participants' });
  }

  /** The tile of someone else in the grid. */
  tileOf(name: string): Locator {
    return this.grid().getByRole('group', { name, exact: true });
  }

  /** Waits until this page receives audio and video from exactly `others` people, bytes rising and frames decoded. */
  async expectReceivingFrom(others: number): Promise<void> {
    await this.expectReceiving({ audio: others, video: others });
  }

  /** Waits until this page receives exactly this many live audio and video streams (bytes rising; video decoded). */
  async expectReceiving(streams: LiveInbound): Promise<void> {
    await expect
      .poll(this.#receiving, { message: `${this.name} receives ${streams.audio} audio and ${streams.video} video streams`, timeout: 60_000, intervals: [1_000] })
      .toEqual(streams);
  }
}
