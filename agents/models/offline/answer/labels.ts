import type {
  ActionType,
  ClassifiedType,
  Disposition,
  Facility,
  ProductionStage,
  Severity,
} from '../../../../domain/index.ts';
import type { AnswerLanguage } from '../../../router/intent.ts';

/** How each defect type arises, in Chinese: the first why of a Chinese answer (the analysis itself is written in English). */
export const MECHANISM_CHINESE: Record<Exclude<ClassifiedType, 'unknown' | 'none'>, string> = {
  blade_scratch: '硬质颗粒或接触物在成品刀面上拖划',
  blade_chip: '刃口过脆或受力超过其强度，材料崩落',
  edge_irregularity: '沿刃口的磨削或开刃不均匀',
  handle_crack: '注塑手柄承受的应力超过材料所能承受（注塑应力、气孔或装配载荷）',
  handle_discoloration: '手柄材料或表面因树脂、色母或受热变化而变色',
  weld_defect: '刀枕焊缝未能良好熔合（保护气、污染或焊接参数）',
  polish_defect: '抛光轮、抛光膏或接触条件未能形成均匀表面',
  rust_spot: '刀片在 1000→600 °C 区间冷却过慢，析出铬碳化物，贫铬的钢材随后氧化',
  dimensional_error: '冲压坯料出冲床时已超出图纸公差',
  assembly_misalignment: '铆接时手柄、刀柄和铆钉未被定位固定',
  surface_contamination: '异物（油、油墨、残留物）在包装前留在表面',
  heat_treatment_defect: '部分装炉件的热处理循环（温度、时间或冷却）超出工艺窗口',
};

/** A heat-treatment defect made at a grinding stage is a grinding burn (DOMAIN.md), in Chinese. */
export const GRINDING_BURN_CHINESE =
  '磨削时刃口过热超过回火温度（冷却液不足、压力过大或砂轮堵塞），刃口变软（磨削烧伤）';

/** The stages after heat treatment where grinding can burn an edge. */
export const GRINDING_STAGES: ReadonlySet<ProductionStage> = new Set([
  'taper_grinding',
  'cutting_edge_honing',
]);

/** How a type arose at a stage, in Chinese: a heat-treatment defect at a grinding stage is a burn. */
/** The first why of rust whose stated cause is the passivation bath (the passive film, not the quench). */
export const PASSIVATION_RUST_CHINESE =
  '钝化膜未能良好形成：钝化液失效、浓度不足或时间不够，或钝化后漂洗不良，使表面残留游离铁或残液而氧化';

export function mechanismChinese(
  type: Exclude<ClassifiedType, 'unknown' | 'none'>,
  stage: ProductionStage | null | undefined,
): string {
  if (type === 'dimensional_error' && (stage === 'taper_grinding' || stage === 'back_edge_polishing'))
    return '磨削或抛光去除的材料多于或少于图纸允许的量';
  return type === 'heat_treatment_defect' && stage && GRINDING_STAGES.has(stage)
    ? GRINDING_BURN_CHINESE
    : MECHANISM_CHINESE[type];
}

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
