/*
 * The part of `qrcode` (1.5) that Parvis uses. The package ships no types, and @types/qrcode is not a dependency: the
 * two calls below are all the server and its tests need.
 */
declare module 'qrcode' {
  interface QRCodeToStringOptions {
    type: 'svg';
    /** L, M, Q or H: how much of the code may be hidden or dirty and still read. */
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
    /** The quiet zone around the code, in modules. */
    margin?: number;
    color?: { dark?: string; light?: string };
  }
  interface QRCodeModule {
    toString(text: string, options: QRCodeToStringOptions): Promise<string>;
    /** The code itself, module by module (the tests read a served picture back against it). */
    create(text: string, options: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' }): {
      modules: { size: number; get(row: number, col: number): number | boolean };
    };
  }
  const QRCode: QRCodeModule;
  export default QRCode;
}
