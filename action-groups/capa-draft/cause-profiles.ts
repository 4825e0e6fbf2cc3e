import type { ConcreteDefectType, ProcessStep, ProductionStage } from '../../domain/index.ts';
import { PROCESS_WINDOWS, type ProcessParameter } from '../process-windows/tools.ts';

/** A parameter of a stage's process window, named by the start of its window name. */
export interface WindowReference {
  stage: ProcessStep;
  /** The start of the parameter name in `PROCESS_WINDOWS` (case-insensitive). */
  parameter: string;
}

/** A control the fix installs that the process windows do not list (e.g. a buff change interval). */
export interface ControlCheck {
  metric: string;
  threshold: string;
}

/**
 * Domain knowledge of one cause mechanism: how to recognise it in a stated cause, the window
 * parameter it concerns, how to verify it, the action that removes it and how to extend that
 * action to the rest of the plant.
 */
export interface CauseProfile {
  /** snake_case identifier. */
  name: string;
  /** What the cause is, in a few words. */
  summary: string;
  /** The stages the mechanism acts at; any stage when absent. */
  stages?: readonly ProductionStage[];
  /** The defect types it explains; any type when absent. */
  defectTypes?: readonly ConcreteDefectType[];
  /** Words of a stated cause (English and Chinese) that name the mechanism. */
  cues: RegExp;
  /** The window parameter the cause concerns. */
  window?: WindowReference;
  /** The control checked when the window has no parameter for it. */
  control?: ControlCheck;
  /** What to measure to confirm the cause while it is a hypothesis. */
  verify: string;
  /** The action that removes the cause. */
  corrective: string;
  /** How the same fix is carried to other lines, SKUs and facilities. */
  preventive: string;
  /** The role that owns the removal. */
  owner: string;
  /**
   * Where the mechanism acts when that is a step the stage list does not have (passivation,
   * seasoning, the store): the actions name it rather than the nearest stage.
   */
  place?: string;
  /** Matches the SOP reaction-plan item that applies to this cause. */
  reactionCue?: RegExp;
}

/**
 * What the defect itself concerns in the process windows: the outcome that proves the cause is
 * gone (flatness for a bowed blade, salt spray for rust). `preferred` outcomes are measured
 * directly on every load and make the better effectiveness check of the corrective action.
 */
export interface SymptomProfile {
  name: string;
  defectTypes: readonly ConcreteDefectType[];
  /** Words of the report or cause that name the symptom; any text of the types when absent. */
  cues?: RegExp;
  window: WindowReference;
  preferred?: boolean;
}

/**
 * Cause mechanisms, most specific first. The first whose stage, defect type and cues fit the
 * stated cause is chosen.
 */
export const CAUSE_PROFILES: readonly CauseProfile[] = [
  {
    name: 'damp_storage',
    summary: 'damp storage or packing climate (humidity, condensation)',
    defectTypes: ['rust_spot', 'surface_contamination', 'handle_discoloration'],
    cues: /damp|humid|\bRH\b|%\s*RH|condensation|moisture in (?:the )?(?:store|warehouse|carton)|wet (?:store|carton|warehouse)|潮湿|受潮|湿度|返潮|凝露/i,
    window: { stage: 'packaging', parameter: 'Packing room relative humidity' },
    verify:
      'log relative humidity and temperature in the store and packing room for 7 days (data logger at floor and rack height), check the cartons of the suspect lot for condensation and VCI paper age',
    corrective:
      'Put the store and packing room under humidity control: dehumidifiers sized for the room, a continuous RH logger with an alarm at 55 % and a packing stop above 60 %, sealed doors to the outside, VCI paper within its age limit and desiccant in every export carton.',
    preventive:
      'Install the same RH logging, alarm and dehumidification in every finished-goods store and packing room',
    owner: 'Facilities engineer with the warehouse manager',
    place: 'storage and packing',
    reactionCue: /RH|humid|condensation/i,
  },
  {
    name: 'passivation_residue',
    summary: 'passivation or pickling residue left on the surface',
    defectTypes: ['rust_spot', 'surface_contamination', 'weld_defect'],
    cues: /passivat|pickl|acid (?:residue|carry)|rinse|钝化|酸洗|漂洗/i,
    control: {
      metric:
        'final rinse-water conductivity after passivation and 96 h salt-spray early read of passivated parts',
      threshold: 'rinse water within its conductivity limit at every check; 0 rust at the 96 h read',
    },
    verify:
      'measure the final rinse-water conductivity and the passivation bath concentration and temperature, and salt-spray 5 parts from the suspect batch with a 96 h early read',
    corrective:
      'Fix the passivation line: bath concentration and temperature titrated every shift, final rinse in DI water with a conductivity limit and alarm, and a drying step before parts are stacked.',
    preventive:
      'Apply the same bath, rinse-conductivity and drying controls to every passivation and pickling line',
    owner: 'Surface-treatment process engineer',
    place: 'passivation',
  },
  {
    name: 'seasoning_film',
    summary: 'incomplete seasoning or oil film on cast iron',
    defectTypes: ['rust_spot', 'surface_contamination'],
    cues: /season|oil film|bare (?:spot|iron)|开锅|涂油|油膜/i,
    control: {
      metric: 'seasoning coverage and oil film of sampled pans at packing (visual and humidity-cabinet test)',
      threshold: '0 bare spots and no rust after 24 h in the humidity cabinet',
    },
    verify:
      'check seasoning coverage and oil-film weight on 10 pans of the suspect batch and the seasoning oven profile of its run',
    corrective:
      'Lock the seasoning process: oven profile and oil application checked every batch, a coverage check before oiling, and a humidity-cabinet test per batch before packing.',
    preventive: 'Apply the same seasoning and oil-film checks to every cast-iron SKU and seasoning line',
    owner: 'Cookware process engineer',
    place: 'seasoning',
    reactionCue: /season|bare/i,
  },
  {
    name: 'vacuum_chamber_leak',
    summary: 'vacuum chamber leak (door seal, flange, feedthrough)',
    stages: ['vacuum_quench'],
    cues: /leak|seal|gasket|o-ring|flange|feedthrough|漏气|泄漏|密封/i,
    window: { stage: 'vacuum_quench', parameter: 'Chamber leak rate' },
    verify:
      'run the leak-rate test on the cold, empty chamber (pressure rise over 10 min with the pumps valved off), sniff the door seal, flanges and feedthroughs with helium, and read the 1000 → 600 °C cooling time of the suspect loads',
    corrective:
      'Repair the leak (replace the door seal, clean the groove), then set the seal replacement interval from the leak-rate trend, chart the daily leak test and interlock the furnace so it does not start a cycle above 5×10⁻³ mbar·l/s.',
    preventive: 'Run the same leak-rate trend, seal interval and no-run interlock on every vacuum furnace',
    owner: 'Maintenance lead',
    reactionCue: /leak rate/i,
  },
  {
    name: 'vacuum_quench_gas',
    summary: 'slow quench from low quench pressure or gas supply',
    stages: ['vacuum_quench'],
    cues: /quench pressure|gas pressure|nitrogen|\bN2\b|cooling time|slow (?:quench|cool)|cool(?:ed|ing)? (?:too )?slow|minutes? instead of|淬火压力|冷却(?:慢|时间)|氮气/i,
    window: { stage: 'vacuum_quench', parameter: 'Cooling time 1000' },
    verify:
      'read the load-thermocouple curve of the suspect loads (1000 → 600 °C time) and the quench pressure and N2 supply pressure logged during those cycles',
    corrective:
      'Restore the quench: N2 supply and quench pressure back to 6 bar abs with a low-pressure alarm, and make the controller reject any load whose 1000 → 600 °C time exceeds 150 s so it cannot move on unreviewed.',
    preventive: 'Apply the same quench-pressure alarm and cooling-time reject to every vacuum furnace',
    owner: 'Heat-treatment process engineer',
    reactionCue: /cooling time|quench pressure/i,
  },
  {
    name: 'quench_gas_dew_point',
    summary: 'wet quench gas (dew point)',
    stages: ['vacuum_quench'],
    cues: /dew point|露点/i,
    window: { stage: 'vacuum_quench', parameter: 'Quench gas dew point' },
    verify:
      'read the quench-gas dew point at the furnace inlet and the N2 tank certificate of the suspect period',
    corrective:
      'Dry the quench gas: fix the supply or dryer, fit an inline dew-point sensor with an alarm at −60 °C and block cycle start above it.',
    preventive: 'Fit the same dew-point sensor and start interlock to every vacuum furnace gas supply',
    owner: 'Facilities engineer',
  },
  {
    name: 'quench_load_pattern',
    summary: 'quench load pattern or worn racks (distortion)',
    stages: ['vacuum_quench', 'heat_treatment'],
    cues: /rack|basket|load(?:ing)? pattern|fixtur|stack|overload|over-?filled|slot|装炉|料架|挂具/i,
    window: { stage: 'vacuum_quench', parameter: 'Blade bow after quench' },
    verify:
      'measure the bow of 20 blades of the suspect load on the surface plate and compare the basket photo with the approved load pattern; measure the rack slots for wear',
    corrective:
      'Fix the load pattern: an approved basket layout per SKU with a photo check before every cycle, racks with slot-wear limits measured monthly and worn racks pulled.',
    preventive: 'Apply the approved load pattern and rack-wear limits to every SKU and vacuum furnace',
    owner: 'Heat-treatment process engineer',
    reactionCue: /straight|bow|plate/i,
  },
  {
    name: 'quench_to_temper_delay',
    summary: 'delay between quench and temper',
    stages: ['heat_treatment', 'vacuum_quench'],
    cues: /delay|waited|left (?:over|untempered)|before temper|延迟回火|未及时回火/i,
    window: { stage: 'heat_treatment', parameter: 'Delay from quench to first temper' },
    verify: 'compare the quench end time and the temper start time of the suspect loads in the furnace logs',
    corrective:
      'Schedule tempering with the quench: a timer started at quench end with an alarm at 90 min and a rule that no quench starts without a free tempering oven.',
    preventive: 'Apply the same quench-to-temper timer to every heat-treatment line',
    owner: 'Heat-treatment process engineer',
    reactionCue: /delay/i,
  },
  {
    name: 'tempering',
    summary: 'tempering cycle short, missing or off temperature',
    stages: ['heat_treatment', 'vacuum_quench'],
    cues: /temper|回火/i,
    window: { stage: 'heat_treatment', parameter: 'Tempering temperature' },
    verify: 'read the tempering oven trace of the suspect loads and hardness-test 10 blades per load',
    corrective:
      'Lock the temper: recipe in the oven program with a cycle counter (2 × 2 h), survey of the oven uniformity, and release only against the recorded trace.',
    preventive: 'Apply the locked tempering recipe and trace release to every tempering oven',
    owner: 'Heat-treatment process engineer',
    reactionCue: /hardness > 58|temper/i,
  },
  {
    name: 'austenitising_temperature',
    summary: 'austenitising temperature out of window (overheat, thermocouple)',
    stages: ['heat_treatment'],
    cues: /overheat|austeniti|furnace temp|thermocouple|too hot|grain|set ?point|炉温|过热|热电偶/i,
    window: { stage: 'heat_treatment', parameter: 'Austenitising temperature (1.4116)' },
    verify:
      'check the furnace thermocouples against a reference and read the load trace; cut 2 blades for grain size',
    corrective:
      'Fix the furnace temperature control: replace or recalibrate the thermocouple, survey temperature uniformity, and add an over-temperature cut-out at 1060 °C.',
    preventive:
      'Apply the same thermocouple calibration interval and over-temperature cut-out to every hardening furnace',
    owner: 'Maintenance lead',
    reactionCue: /overheat|under-temperature|trace/i,
  },
  {
    name: 'soak_time',
    summary: 'soak time too short',
    stages: ['heat_treatment'],
    cues: /soak|保温/i,
    window: { stage: 'heat_treatment', parameter: 'Soak after load' },
    verify:
      'read the load-thermocouple trace of the suspect loads (soak from set point) and hardness-test 10 blades',
    corrective:
      'Start the soak timer on the load thermocouple, not the furnace thermocouple, locked in the recipe.',
    preventive: 'Apply the load-thermocouple soak timer to every hardening furnace',
    owner: 'Heat-treatment process engineer',
  },
  {
    name: 'mould_temperature',
    summary: 'mould temperature out of window (cold mould, heater)',
    stages: ['handle_injection'],
    cues: /mou?ld (?:surface )?temp|cold mou?ld|mou?ld (?:ran )?(?:at|below)|heater|thermolator|temperature controller|模温|模具温度|加热器/i,
    window: { stage: 'handle_injection', parameter: 'Mould surface temperature' },
    verify:
      'measure the mould surface temperature with a contact probe at 3 points and read the controller log of the suspect shift',
    corrective:
      'Repair the mould temperature control (heater, controller, circuit), put the mould heaters on preventive maintenance and interlock the press so it stops below 75 °C mould surface temperature.',
    preventive:
      'Fit the same mould-temperature interlock and heater maintenance to every injection press and mould',
    owner: 'Maintenance lead with the moulding process engineer',
    reactionCue: /mou?ld temperature|75 °C/i,
  },
  {
    name: 'resin_drying',
    summary: 'wet resin (drying)',
    stages: ['handle_injection'],
    cues: /dry|moist|wet resin|dew point|干燥|受潮/i,
    window: { stage: 'handle_injection', parameter: 'POM drying' },
    verify:
      'measure the moisture of the resin in the hopper and the dryer dew point and residence time of the suspect lot',
    corrective:
      'Fix the drying: dryer dew point and temperature alarmed, residence time set by hopper size, and a moisture check of every resin lot before moulding.',
    preventive: 'Apply the same dryer alarms and moisture check to every press and resin',
    owner: 'Moulding process engineer',
    reactionCue: /moisture|dew point|re-dry/i,
  },
  {
    name: 'moulding_cooling_time',
    summary: 'moulding cooling or cycle time cut',
    stages: ['handle_injection'],
    cues: /cooling time|cycle time|ejected (?:too )?(?:early|hot)|冷却时间|周期/i,
    window: { stage: 'handle_injection', parameter: 'Cooling time' },
    verify: 'read the press parameter log for the cooling and cycle time of the suspect shift',
    corrective:
      'Lock the cooling time in the press program with a change log and a password, with the minimum 22 s enforced by the machine.',
    preventive: 'Lock the cycle parameters of every press and mould the same way',
    owner: 'Moulding process engineer',
    reactionCue: /parameter that drifted|cycle time/i,
  },
  {
    name: 'moulding_pressure',
    summary: 'injection or hold pressure out of window',
    stages: ['handle_injection'],
    cues: /injection pressure|hold pressure|pack(?:ing)? pressure|short shot|保压|注射压力/i,
    window: { stage: 'handle_injection', parameter: 'Hold pressure' },
    verify: 'read the pressure curves of the suspect shift and weigh 10 handles against the standard weight',
    corrective:
      'Restore and lock the pressure profile in the press program, with a cavity-pressure or part-weight alarm.',
    preventive: 'Apply the same locked pressure profile and alarm to every press',
    owner: 'Moulding process engineer',
  },
  {
    name: 'masterbatch_dosing',
    summary: 'colour masterbatch dosing',
    stages: ['handle_injection'],
    cues: /masterbatch|dosing|colou?r (?:ratio|dose|lot)|色母|配色/i,
    control: {
      metric: 'doser ratio checks and handle colour ΔE against the colour master',
      threshold: 'doser within its ratio limit at every check; ΔE within the colour master limit',
    },
    verify: 'weigh the doser output over 10 shots and measure ΔE of 10 handles against the colour master',
    corrective:
      'Calibrate the doser gravimetrically, alarm the ratio, and check ΔE at every masterbatch lot change.',
    preventive: 'Apply gravimetric doser calibration and the lot-change ΔE check to every press',
    owner: 'Moulding process engineer',
    reactionCue: /colou?r|dosing|ΔE/i,
  },
  {
    name: 'shielding_gas',
    summary: 'argon shielding gas lost (flow, hose leak, draught, wrong gas)',
    stages: ['bolster_welding'],
    cues: /argon|shield|gas flow|flow ?meter|hose|draught|draft|door (?:open|left)|\bfan\b|cylinder|保护气|氩气|气流/i,
    window: { stage: 'bolster_welding', parameter: 'Torch gas flow' },
    verify:
      'measure the gas flow at the torch with the calibrated float flowmeter, soap-test the hose joints and read the cylinder label and content',
    corrective:
      'Restore the shield: repair the hose or regulator, fit a gas-flow sensor at the torch that stops the arc below 8 L/min, and screen the cell from draughts (doors closed, no fans within 2 m).',
    preventive: 'Fit the same torch gas-flow interlock and draught screens to every welding cell',
    owner: 'Welding engineer',
    reactionCue: /gas|porosity|pore/i,
  },
  {
    name: 'weld_cleanliness',
    summary: 'oil or residue on the bolster or blade before welding',
    stages: ['bolster_welding'],
    cues: /oil|grease|degreas|wash|clean|residue|contaminat|油污|清洗|脏/i,
    control: {
      metric: 'water-break test of washed bolsters and washer bath checks',
      threshold: '100 % of water-break tests pass (continuous film 30 s); bath within limits at every check',
    },
    verify: 'run the water-break test on 3 bolsters of the suspect trays and titrate the washer bath',
    corrective:
      'Fix the pre-weld wash: bath titration and temperature on a schedule with limits, a water-break test every shift, and an 8 h limit from wash to weld on the tray label.',
    preventive: 'Apply the same wash controls and wash-to-weld time limit to every welding cell and washer',
    owner: 'Welding engineer',
    reactionCue: /water-break|bath|wash/i,
  },
  {
    name: 'welding_parameters',
    summary: 'welding current, travel speed or arc length out of window',
    stages: ['bolster_welding'],
    cues: /current|amperage|travel speed|arc length|tungsten|electrode|电流|焊速/i,
    window: { stage: 'bolster_welding', parameter: 'Welding current (WK-KN-200)' },
    verify: 'read the welding current, travel speed and arc length logged by the cell for the suspect lot',
    corrective:
      'Lock the weld program per SKU with parameter monitoring that stops the cell outside the window, and regrind tungsten at the set weld count.',
    preventive: 'Apply the same locked programs and parameter monitoring to every welding cell',
    owner: 'Welding engineer',
  },
  {
    name: 'weld_fixture',
    summary: 'worn weld fixture locator',
    stages: ['bolster_welding'],
    cues: /(?:worn|wear|damaged|loose)\W+(?:\w+\W+){0,3}?(?:fixture|locator|jig)|(?:fixture|locator|jig)\W+(?:\w+\W+){0,3}?(?:worn|wear|damaged|loose)|bolster position|夹具.{0,4}(?:磨损|松动)|定位偏/i,
    window: { stage: 'bolster_welding', parameter: 'Bolster position to drawing' },
    verify: 'measure the weld fixture locators against their drawing and the bolster position of 10 parts',
    corrective: 'Replace the worn locator and measure every weld fixture at a set interval with wear limits.',
    preventive: 'Apply the same locator wear limits to every weld fixture',
    owner: 'Tooling technician with the welding engineer',
    reactionCue: /locator|fixture/i,
  },
  {
    name: 'honing_coolant_burn',
    summary: 'grinding burn from coolant or feed (soft edge)',
    stages: ['cutting_edge_honing', 'taper_grinding'],
    cues: /coolant|burn|temper colou?r|blue|nozzle|infeed|feed rate|烧伤|冷却液|进给/i,
    window: { stage: 'cutting_edge_honing', parameter: 'Coolant flow per grinding head' },
    verify:
      'measure coolant flow and concentration at the nozzle and micro-hardness 0.3 mm from the apex on 5 blades',
    corrective:
      'Restore coolant flow and concentration with a flow switch that stops grinding below 12 L/min, and lock the infeed in the program.',
    preventive: 'Fit the same low-flow stop and locked infeed to every grinding and honing head',
    owner: 'Grinding process engineer',
    reactionCue: /coolant|burn|micro-hardness/i,
  },
  {
    name: 'honing_clamp',
    summary: 'blade clamp or program offset on the honing machine',
    stages: ['cutting_edge_honing'],
    cues: /clamp|offset|holder|fixture|夹具|夹持/i,
    window: { stage: 'cutting_edge_honing', parameter: 'Edge angle per side' },
    verify: 'measure the clamp position and the edge angle of 10 blades with the laser goniometer',
    corrective:
      'Repair the clamp, lock the program offsets, and add a master-blade angle check at every start-up.',
    preventive: 'Apply the same clamp check and master-blade start-up check to every honing machine',
    owner: 'Maintenance lead with the grinding process engineer',
    reactionCue: /clamp|offset/i,
  },
  {
    name: 'honing_wheel_wear',
    summary: 'worn or undressed honing wheel',
    stages: ['cutting_edge_honing'],
    cues: /wheel|dress|worn|wear|stone|belt|砂轮|磨轮|磨损|修整/i,
    control: {
      metric:
        'honing wheel changes and dressings done at the set interval (wheel counter log) and edge angle per side of sampled blades',
      threshold: '100 % of changes on time; every sampled edge 15 ± 2° and > 50 ICP',
    },
    verify:
      'measure the wheel diameter and profile against its wear limit and the edge angle and CATRA sharpness of 10 blades from before and after a wheel change',
    corrective:
      'Replace the worn wheel, set a wheel change and dressing interval from the wear trend, count blades per wheel on the machine with a stop at the limit, and check wheel wear at every shift start.',
    preventive: 'Apply the same wheel counter, change interval and wear check to every honing machine',
    owner: 'Maintenance lead with the grinding process engineer',
    reactionCue: /wheel/i,
  },
  {
    name: 'taper_asymmetry',
    summary: 'taper grinder fixture or wheel giving an asymmetric grind',
    stages: ['taper_grinding'],
    cues: /asymmetr|symmetr|clamp|fixture|wheel|dress|worn|wear|砂轮|夹具/i,
    window: { stage: 'taper_grinding', parameter: 'Flank symmetry' },
    verify: 'measure flank symmetry and edge land of 10 blades and the fixture clamping of the grinder',
    corrective:
      'Repair the grinder fixture and dress the wheel on a set interval, with an hourly symmetry check that stops the machine at 0.05 mm.',
    preventive: 'Apply the same dressing interval and symmetry check to every taper grinder',
    owner: 'Maintenance lead with the grinding process engineer',
    reactionCue: /symmetr|asymmetr/i,
  },
  {
    name: 'glazing_buff_contamination',
    summary: 'contaminated or worn glazing buff or compound',
    stages: ['blade_glazing'],
    cues: /buff|compound|grit|contaminat|wheel|mop|抛光轮|研磨膏|砂粒/i,
    control: {
      metric:
        'finishing buffs and compound changed on schedule and stored covered (audit), and scratch length on mirror blades',
      threshold: '100 % of buffs within their change interval; no scratch > 5 mm, max 1 per side',
    },
    verify:
      'inspect the buff and compound box of the suspect spindle for grit and check their age against the change log',
    corrective:
      'Replace the buff and compound, set a buff change interval, keep compound boxes covered and segregate coarse and finishing buffs (colour-coded, separate racks).',
    preventive:
      'Apply the same buff interval and segregation to every glazing cell and handle-polishing station',
    owner: 'Finishing process engineer',
    reactionCue: /buff|compound/i,
  },
  {
    name: 'glazing_pressure_heat',
    summary: 'glazing contact force or heat too high',
    stages: ['blade_glazing'],
    cues: /pressure|force|heat|hot|overheat|orange peel|压力|过热/i,
    window: { stage: 'blade_glazing', parameter: 'Contact force' },
    verify: 'measure the contact force and the blade temperature after each glazing step on 5 blades',
    corrective:
      'Set the contact force with a load-controlled head and a blade-temperature check after each step.',
    preventive: 'Apply load-controlled heads and the temperature check to every glazing cell',
    owner: 'Finishing process engineer',
    reactionCue: /orange peel|pressure/i,
  },
  {
    name: 'handle_polishing_wheel',
    summary: 'contaminated or mixed polishing wheel or compound',
    stages: ['handle_polishing'],
    cues: /wheel|compound|contaminat|mixed|untagged|grit|抛光轮|研磨膏/i,
    control: {
      metric:
        'wheel segregation audit (tagged wheel, compound code) and scratches on blade heel or bolster after handle polishing',
      threshold: '100 % of wheels tagged and in their compound area; 0 scratches > 5 mm',
    },
    verify:
      'inspect the wheels and compound codes of the station and the wheel change log of the suspect shift',
    corrective:
      'Scrap the contaminated wheel, tag every wheel by compound, and keep separate racks and covers per compound.',
    preventive: 'Apply the same wheel tagging and segregation to every polishing station',
    owner: 'Finishing process engineer',
    reactionCue: /wheel|compound/i,
  },
  {
    name: 'handle_polishing_heat',
    summary: 'handle overheated at buffing (speed, pressure, dwell)',
    stages: ['handle_polishing'],
    cues: /heat|hot|burn|speed|pressure|dwell|yellow|scorch|过热|发黄|烧焦/i,
    window: { stage: 'handle_polishing', parameter: 'Handle surface temperature after buffing' },
    verify:
      'measure wheel speed, contact force and the handle surface temperature after buffing on 5 handles',
    corrective:
      'Fix wheel speed and contact force in the station setup, with a contact-time limit and an IR temperature check.',
    preventive: 'Apply the same speed, force and temperature limits to every buffing station',
    owner: 'Finishing process engineer',
    reactionCue: /burnt|yellow|wheel speed/i,
  },
  {
    name: 'polishing_belt',
    summary: 'worn, glazed or wrong polishing belt',
    stages: ['back_edge_polishing'],
    cues: /belt|grit|worn|wear|glazed|砂带|磨损/i,
    window: { stage: 'back_edge_polishing', parameter: 'Belt life' },
    verify: 'check the fitted belts against the grit sequence and their blade count against the belt life',
    corrective:
      'Change belts by counter at the set belt life, grit-marked belts only, with a signed belt-change record.',
    preventive: 'Apply belt counters and grit marking to every belt station',
    owner: 'Finishing process engineer',
    reactionCue: /belt/i,
  },
  {
    name: 'stamping_die_wear',
    summary: 'worn stamping die or punch',
    stages: ['blade_stamp'],
    cues: /die|punch|burr|worn|wear|regrind|clearance|冲模|模具|毛刺|磨损/i,
    window: { stage: 'blade_stamp', parameter: 'Die regrind interval' },
    verify:
      'measure die clearance and burr height, and read the hit counter of the die against its regrind interval',
    corrective:
      'Regrind or replace the die inserts, and set the regrind interval by hit counter with an earlier regrind when the press-force trend rises 10 %.',
    preventive: 'Apply hit counters and press-force trend regrinds to every blanking die',
    owner: 'Tool-room lead',
    reactionCue: /die/i,
  },
  {
    name: 'incoming_strip',
    summary: 'strip material out of specification',
    stages: ['blade_stamp'],
    cues: /strip|coil|heat number|supplier|incoming|material|来料|材料|卷料/i,
    window: { stage: 'blade_stamp', parameter: 'Strip hardness on arrival' },
    verify: 'test hardness and thickness of the suspect coil and compare with its mill certificate',
    corrective:
      'Block the coil, have the supplier correct the material, and test hardness and thickness of every coil at goods-in.',
    preventive: 'Apply the same goods-in test to every strip supplier and grade',
    owner: 'Supplier quality engineer',
    reactionCue: /coil|heat number|strip/i,
  },
  {
    name: 'rivet_fixture_wear',
    summary: 'worn rivet fixture, locating pin or anvil',
    stages: ['rivet_assembly'],
    cues: /(?:worn|wear|damaged|broken|loose)\W+(?:\w+\W+){0,3}?(?:fixture|pin|anvil|locat|jig)|(?:fixture|pin|anvil|locat\w*|jig)\W+(?:\w+\W+){0,3}?(?:worn|wear|damaged|broken|loose)|(?:治具|定位销|铆砧).{0,4}(?:磨损|松动|损坏)/i,
    window: { stage: 'rivet_assembly', parameter: 'Locating pin diameter' },
    verify: 'measure the locating pins and anvil of the fixture and the scale step of 32 pieces',
    corrective:
      'Replace the worn pins, measure every fixture weekly against the wear limit, and check a master part at every start-up.',
    preventive: 'Apply weekly fixture measurement and master-part checks to every riveting station',
    owner: 'Tooling technician',
    reactionCue: /fixture|pin/i,
  },
  {
    name: 'rivet_setting_force',
    summary: 'rivet setting force out of window',
    stages: ['rivet_assembly'],
    cues: /force|press|setting|压力|铆接力/i,
    window: { stage: 'rivet_assembly', parameter: 'Setting force (WK-KN-200)' },
    verify: 'measure the setting force with the load cell and the rivet head height of 10 knives',
    corrective:
      'Calibrate the press force, lock it per SKU, and monitor force on every stroke with a stop outside the window.',
    preventive: 'Apply per-stroke force monitoring to every riveting press',
    owner: 'Maintenance lead',
    reactionCue: /force/i,
  },
  {
    name: 'print_surface_preparation',
    summary: 'print surface not clean (pre-clean, surface energy)',
    stages: ['logo_print'],
    cues: /clean|IPA|dyne|oil|residue|wash|fingerprint|油污|清洁/i,
    window: { stage: 'logo_print', parameter: 'Surface energy of print zone' },
    verify: 'test the print zone with a dyne pen on 5 parts and check the pre-clean-to-print time',
    corrective:
      'Fix the pre-clean: IPA and lint-free cloth routine, a dyne check every hour and a 30 min limit from pre-clean to print.',
    preventive: 'Apply the same pre-clean routine and dyne check to every printer',
    owner: 'Printing process engineer',
    reactionCue: /clean|dyne/i,
  },
  {
    name: 'print_ink',
    summary: 'ink mix or pot life',
    stages: ['logo_print'],
    cues: /ink|pot life|ratio|mix|油墨/i,
    window: { stage: 'logo_print', parameter: 'Ink pot life after mixing' },
    verify: 'check the ink cup label for mixing time and ratio, and test adhesion of 5 prints',
    corrective:
      'Label every ink mix with its time and ratio, discard at 8 h, and weigh the hardener on a scale.',
    preventive: 'Apply ink labelling and pot-life discard to every printer',
    owner: 'Printing process engineer',
    reactionCue: /ink/i,
  },
  {
    name: 'gauge',
    summary: 'gauge out of calibration or measurement method',
    cues: /gauge|calibrat|tester|\bMSA\b|R&R|indenter|量具|校准|检具/i,
    control: {
      metric: 'daily gauge verification and gauge R&R of the gauge that measures the characteristic',
      threshold: 'every daily verification passes; gauge R&R ≤ 10 % of tolerance',
    },
    verify:
      'check the gauge against a certified reference and re-measure 10 parts of the suspect lot with a verified gauge',
    corrective:
      'Repair and recalibrate the gauge, add a daily verification against a reference and repeat the MSA.',
    preventive: 'Apply daily verification and the MSA schedule to every gauge of the same kind',
    owner: 'Metrology / quality engineer',
    reactionCue: /gauge|calibrat/i,
  },
];

/** Outcomes of the defect that a stage window measures, most specific first. */
export const SYMPTOM_PROFILES: readonly SymptomProfile[] = [
  {
    name: 'warp',
    defectTypes: ['heat_treatment_defect', 'dimensional_error'],
    cues: /warp|bow|bent|bend|flat|straight|twist|distort|弯|翘|变形|不平/i,
    window: { stage: 'vacuum_quench', parameter: 'Blade bow after quench' },
    preferred: true,
  },
  {
    name: 'coarse_grain',
    defectTypes: ['heat_treatment_defect', 'blade_chip'],
    cues: /grain|overheat|晶粒|过热/i,
    window: { stage: 'heat_treatment', parameter: 'Prior austenite grain size' },
  },
  {
    name: 'hardness',
    defectTypes: ['heat_treatment_defect'],
    window: { stage: 'heat_treatment', parameter: 'Hardness after tempering' },
  },
  { name: 'rust', defectTypes: ['rust_spot'], window: { stage: 'vacuum_quench', parameter: 'Salt spray' } },
  {
    name: 'scratch',
    defectTypes: ['blade_scratch'],
    window: { stage: 'blade_glazing', parameter: 'Scratch length' },
  },
  {
    name: 'edge_angle',
    defectTypes: ['edge_irregularity'],
    window: { stage: 'cutting_edge_honing', parameter: 'Edge angle per side' },
  },
  {
    name: 'finish',
    defectTypes: ['polish_defect'],
    window: { stage: 'blade_glazing', parameter: 'Mirror finish Ra' },
  },
  {
    name: 'outline',
    defectTypes: ['dimensional_error'],
    window: { stage: 'blade_stamp', parameter: 'Outline tolerance' },
  },
  {
    name: 'misalignment',
    defectTypes: ['assembly_misalignment'],
    window: { stage: 'rivet_assembly', parameter: 'Handle-blade misalignment' },
  },
];

/** A window parameter found for a reference, with the label of its stage. */
export interface ResolvedWindow {
  stage: ProcessStep;
  /** The stage code in words (vacuum quench). */
  stageLabel: string;
  parameter: ProcessParameter;
}

/** The window parameter a reference names, or null when the window has no such parameter. */
export function resolveWindow(reference: WindowReference): ResolvedWindow | null {
  const wanted = reference.parameter.toLowerCase();
  const parameter = PROCESS_WINDOWS[reference.stage].find((entry) =>
    entry.name.toLowerCase().startsWith(wanted),
  );
  return parameter
    ? { stage: reference.stage, stageLabel: reference.stage.replaceAll('_', ' '), parameter }
    : null;
}

/** What a stated cause and the defect come to, for the draft. */
export interface CauseMatch {
  profile: CauseProfile | null;
  symptom: SymptomProfile | null;
}

/** The texts of a root cause that state the cause, in the order they are searched. */
export interface CauseTexts {
  occurrence: string;
  systemic: string;
  /** What the inspector saw, when given. */
  symptom?: string;
}

function fits(profile: CauseProfile, defectType: ConcreteDefectType, stage: ProductionStage): boolean {
  return (
    (!profile.stages || profile.stages.includes(stage)) &&
    (!profile.defectTypes || profile.defectTypes.includes(defectType))
  );
}

/**
 * The cause mechanism of a stated cause (searched in the occurrence cause first, then the systemic
 * one) and the outcome the defect concerns. A mechanism must fit the stage and the defect type.
 */
export function matchCause(
  texts: CauseTexts,
  defectType: ConcreteDefectType,
  stage: ProductionStage,
): CauseMatch {
  const candidates = CAUSE_PROFILES.filter((profile) => fits(profile, defectType, stage));
  const profile =
    candidates.find((candidate) => candidate.cues.test(texts.occurrence)) ??
    candidates.find((candidate) => candidate.cues.test(texts.systemic)) ??
    null;
  const symptomText = `${texts.symptom ?? ''} ${texts.occurrence}`;
  const symptom =
    SYMPTOM_PROFILES.find(
      (candidate) =>
        candidate.defectTypes.includes(defectType) && (!candidate.cues || candidate.cues.test(symptomText)),
    ) ?? null;
  return { profile, symptom };
}

/** Words that mark a stated cause as not yet verified (English and Chinese). */
const HEDGES =
  /\b(?:hypothes[ie]s|suspect(?:ed)?|possibl[ey]|probabl[ey]|likely|may have|might|could have|presum(?:ed|ably)|unverified|not (?:yet )?(?:verified|confirmed)|to be (?:verified|confirmed)|TBC)\b|可能|疑似|怀疑|待确认|未确认|推测/i;

/** Whether a stated cause reads as a hypothesis rather than a verified finding. */
export function readsAsHypothesis(occurrence: string): boolean {
  return HEDGES.test(occurrence);
}
