import { Router } from 'express';
import { z } from 'zod';
import {
  CONCRETE_DEFECT_TYPES,
  DEFECT_TYPE_DETAILS,
  DefectType,
  EscapePoint,
  Facility,
  PRODUCTION_STAGES,
  ProductionStage,
  QUALITY_STANDARDS,
  STAGE_DETAILS,
} from '../../domain/index.ts';

/** The body of `GET /defect-types`: the 13 concrete types and `unknown`. */
export const DefectTypes = z.object({
  defect_types: z.array(
    z.object({
      code: DefectType,
      description: z.string().describe('What an inspector sees'),
      origin_stages: z.array(ProductionStage).describe('The usual origin stages'),
      severity_rule: z.string(),
    }),
  ),
});
export type DefectTypes = z.infer<typeof DefectTypes>;

/** The body of `GET /production-stages`: the stages in order, the escape points and the standards. */
export const ProductionStages = z.object({
  stages: z.array(z.object({ code: ProductionStage, order: z.number().int().min(1), label: z.string() })),
  escape_points: z.array(z.object({ code: EscapePoint, label: z.string() })),
  quality_standards: z.object({
    hardnessHrc: z.object({ min: z.number(), max: z.number() }),
    sharpnessIcpMin: z.number(),
    edgeAngleToleranceDeg: z.number(),
    saltSprayHoursWithoutRust: z.number(),
    defectRateTargetPercent: z.number(),
  }),
});
export type ProductionStages = z.infer<typeof ProductionStages>;

/** The body of `GET /facilities`. */
export const Facilities = z.object({
  facilities: z.array(z.object({ code: Facility, description: z.string() })),
});
export type Facilities = z.infer<typeof Facilities>;

const FACILITY_DETAILS: Record<Facility, string> = {
  yangjiang: 'Main plant, about 1M units a month',
  shenzhen: 'Knife line',
  hongkong: 'Finishing, inspection and packaging',
};

/** The fixed vocabulary: defect types, production stages, facilities. */
export function vocabularyRoutes(): Router {
  const router = Router();
  router.get('/defect-types', (_request, response) => {
    response.json({
      defect_types: [
        ...CONCRETE_DEFECT_TYPES.map((code) => ({
          code,
          description: DEFECT_TYPE_DETAILS[code].sees,
          origin_stages: [...DEFECT_TYPE_DETAILS[code].originStages],
          severity_rule: DEFECT_TYPE_DETAILS[code].severityRule,
        })),
        {
          code: 'unknown',
          description: 'cannot be classified with confidence',
          origin_stages: [],
          severity_rule: 'escalate to a person',
        },
      ],
    } satisfies DefectTypes);
  });
  router.get('/production-stages', (_request, response) => {
    response.json({
      stages: PRODUCTION_STAGES.map((code) => ({
        code,
        order: STAGE_DETAILS[code].order,
        label: STAGE_DETAILS[code].label,
      })),
      escape_points: [
        { code: 'inspection', label: 'Inspection' },
        { code: 'packaging', label: 'Packaging' },
      ],
      quality_standards: QUALITY_STANDARDS,
    } satisfies ProductionStages);
  });
  router.get('/facilities', (_request, response) => {
    response.json({
      facilities: Facility.options.map((code) => ({ code, description: FACILITY_DETAILS[code] })),
    } satisfies Facilities);
  });
  return router;
}
