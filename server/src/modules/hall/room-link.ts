import QRCode from 'qrcode';

/**
 * The address of an event's phone page, `/events/:id/ask`: what the QR code in the auditorium opens, and what the
 * display page writes out for those who type it. Built on PUBLIC_ORIGIN, which is where phones reach Parvis (the
 * browser showing the display may well be on a loopback or LAN address phones cannot open).
 */
export const askUrl = (publicOrigin: string, eventId: string): string =>
  `${publicOrigin}/events/${encodeURIComponent(eventId)}/ask`;

/**
 * The QR code of `url` as an SVG document, black on a white ground with the standard quiet zone of four modules:
 * phones read it from a projected screen, where the margin and the contrast are what fail first. Level M keeps it
 * readable with a corner hidden (a lectern, a head) without making it much denser.
 */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
}
