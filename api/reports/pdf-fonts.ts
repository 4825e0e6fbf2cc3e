import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The npm package whose Noto Sans Hans fonts draw Chinese (and Latin) text in the PDF report. */
export const CJK_FONT_PACKAGE = '@embedpdf/fonts-sc';

/** The fonts the PDF report is drawn with. */
export interface ReportFonts {
  /**
   * The path of a font file, or the name of a PDF standard font. A path, not the bytes: pdfkit
   * caches a font by its source string, and re-parses a font given as bytes every time a table
   * cell restores it.
   */
  regular: string;
  bold: string;
  /** Whether the fonts draw Chinese text; the standard fonts draw only Latin-1. */
  unicode: boolean;
  /** Why Chinese text cannot be drawn; null when it can. */
  limitation: string | null;
}

/** The PDF standard fonts: every reader has them, but they draw Latin-1 text only. */
export const STANDARD_FONTS: ReportFonts = {
  regular: 'Helvetica',
  bold: 'Helvetica-Bold',
  unicode: false,
  limitation: `Chinese text cannot be drawn: the font package ${CJK_FONT_PACKAGE} is not installed, so characters outside Latin-1 are shown as "?".`,
};

function readCjkFonts(): ReportFonts {
  const require = createRequire(import.meta.url);
  const folder = path.join(path.dirname(require.resolve(CJK_FONT_PACKAGE)), '..', 'fonts');
  const regular = path.join(folder, 'NotoSansHans-Regular.otf');
  const bold = path.join(folder, 'NotoSansHans-Bold.otf');
  accessSync(regular, constants.R_OK);
  accessSync(bold, constants.R_OK);
  return { regular, bold, unicode: true, limitation: null };
}

let loaded: ReportFonts | undefined;

/**
 * The fonts of the PDF report: Noto Sans Hans Regular and Bold (OFL, about 8 MB each, found once
 * per process and read by each document; only the glyphs a report uses are embedded), or the standard fonts, with the
 * reason, when the font package cannot be read.
 */
export function loadReportFonts(): ReportFonts {
  if (!loaded) {
    try {
      loaded = readCjkFonts();
    } catch (error) {
      loaded = {
        ...STANDARD_FONTS,
        limitation: `${STANDARD_FONTS.limitation ?? ''} (${error instanceof Error ? error.message : String(error)})`,
      };
    }
  }
  return loaded;
}
