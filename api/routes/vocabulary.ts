import { Router } from 'express';
import {
  CONCRETE_DEFECT_TYPES,
  DEFECT_TYPE_DETAILS,
  Facility,
  PRODUCTION_STAGES,
  QUALITY_STANDARDS,
  STAGE_DETAILS,
} from '../../domain/index.ts';

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
          origin_stages: DEFECT_TYPE_DETAILS[code].originStages,
          severity_rule: DEFECT_TYPE_DETAILS[code].severityRule,
        })),
        {
          code: 'unknown',
          description: 'cannot be classified with confidence',
          origin_stages: [],
          severity_rule: 'escalate to a person',
        },
      ],
    });
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
    });
  });
  router.get('/facilities', (_request, response) => {
    response.json({
      facilities: Facility.options.map((code) => ({ code, description: FACILITY_DETAILS[code] })),
    });
  });
  return router;
}
