import type {
  ActionType,
  ClassifiedType,
  Disposition,
  Facility,
  ProductionStage,
  Severity,
} from '../../../../domain/index.ts';
import type { AnswerLanguage } from '../../../router/intent.ts';

/** Chinese names of the defect types, shown beside the code. */
export const DEFECT_TYPE_CHINESE: Record<ClassifiedType, string> = {
  blade_scratch: '刀身划痕',
  blade_chip: '刃口崩缺',
  edge_irregularity: '刃口不齐',
  handle_crack: '手柄开裂',
  handle_discoloration: '手柄变色',
  weld_defect: '焊接缺陷',
  polish_defect: '抛光缺陷',
  rust_spot: '锈斑',
  dimensional_error: '尺寸超差',
  assembly_misalignment: '装配偏位',
  surface_contamination: '表面污染',
  heat_treatment_defect: '热处理缺陷',
  unknown: '未能分类',
  none: '无缺陷',
};

/** Chinese names of the production stages. */
export const STAGE_CHINESE: Record<ProductionStage, string> = {
  blade_stamp: '冲压/锻造',
  bolster_welding: '护手焊接',
  back_edge_polishing: '刀背抛光',
  taper_grinding: '锥度研磨',
  heat_treatment: '热处理',
  vacuum_quench: '真空淬火',
  handle_injection: '手柄注塑',
  rivet_assembly: '铆接装配',
  handle_polishing: '手柄抛光',
  blade_glazing: '刀身抛光',
  cutting_edge_honing: '开刃',
  logo_print: '印标',
};

/** Chinese names of the severities. */
export const SEVERITY_CHINESE: Record<Severity, string> = {
  critical: '关键（严重）',
  major: '主要',
  minor: '次要',
  cosmetic: '外观',
  none: '无',
};

/** Chinese names of the dispositions. */
export const DISPOSITION_CHINESE: Record<Disposition, string> = {
  PASS: '放行',
  REWORK: '返工',
  SCRAP: '报废',
  HOLD: '隔离待判',
};

/** Chinese names of the action types. */
export const ACTION_TYPE_CHINESE: Record<ActionType, string> = {
  containment: '围堵',
  correction: '处置',
  corrective: '纠正措施',
  preventive: '预防措施',
};

/** Chinese names of the facilities. */
export const FACILITY_CHINESE: Record<Facility, string> = {
  yangjiang: '阳江',
  shenzhen: '深圳',
  hongkong: '香港',
};

/** A code in the answer's language: the code in English, the Chinese name with the code in Chinese. */
export function named<Code extends string>(
  language: AnswerLanguage,
  code: Code,
  chinese: Record<Code, string>,
): string {
  return language === 'zh' ? `${chinese[code]}（${code}）` : code;
}

/** Picks the English or the Chinese text. */
export function say(language: AnswerLanguage, english: string, chinese: string): string {
  return language === 'zh' ? chinese : english;
}
