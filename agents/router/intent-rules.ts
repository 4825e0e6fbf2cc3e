import type { Facility, ProductionStage, ProductSku } from '../../domain/index.ts';
import type { AgentId } from '../definition.ts';

/** What a follow-up question asks about a stored analysis. */
export type FollowUpIntent =
  | 'why_stage'
  | 'which_sop'
  | 'history'
  | 'containment_shipped'
  | 'rework'
  | 'severity_line_stop'
  | 'missing_evidence'
  | 'effectiveness_check'
  | 'owner'
  | 'general';

/** Every intent, the general fallback last. */
export const FOLLOW_UP_INTENTS: readonly FollowUpIntent[] = [
  'why_stage',
  'which_sop',
  'history',
  'containment_shipped',
  'rework',
  'severity_line_stop',
  'missing_evidence',
  'effectiveness_check',
  'owner',
  'general',
];

/** A specialist that answers follow-up questions. */
export type AnsweringSpecialist = Exclude<AgentId, 'supervisor'>;

/**
 * The specialist that owns each intent: the classifier owns what the defect is and how bad it
 * is; the root-cause analyst owns why, the evidence and the history; the corrective-action planner
 * owns what to do, by whom, and how to check it. `general` has no owner: the router decides.
 */
export const INTENT_SPECIALIST: Record<Exclude<FollowUpIntent, 'general'>, AnsweringSpecialist> = {
  severity_line_stop: 'classifier',
  why_stage: 'root-cause',
  missing_evidence: 'root-cause',
  history: 'root-cause',
  which_sop: 'corrective-action',
  rework: 'corrective-action',
  containment_shipped: 'corrective-action',
  effectiveness_check: 'corrective-action',
  owner: 'corrective-action',
};

/**
 * A question whether the parts may be used or shipped as they are, under a concession (a deviation,
 * use-as-is, 让步接收, 特采): a disposition question, answered with the rework rule.
 */
export const CONCESSION =
  /\b(concessions?|deviation (permit|approval|request)|(use|ship|send|release|accept)\w*( (it|them|these|the (lot|parts|batch)))? as[- ]is|use[- ]as[- ]is|waiver)\b|让步(接收|放行|使用)?|特采|特许(放行|接收)|降级(使用|销售|出货)|\b(b[- ]grade|second[- ]grade|seconds|sell (them|these|it|the lot) (cheap|at a discount|as seconds))\b|次品(销售|处理)|打折(卖|销售|处理)/i;

/**
 * One way of asking: every pattern must match the question. `weight` says how strongly the
 * cue points at the intent (a specific verb or noun counts more than a loose one).
 */
export interface IntentCue {
  patterns: readonly RegExp[];
  weight: number;
}

/**
 * How people ask each question, in English and Chinese (mixed questions match either). Patterns
 * name the verbs, nouns and question frames of an intent, never one particular question.
 */
export const INTENT_CUES: Record<Exclude<FollowUpIntent, 'general'>, readonly IntentCue[]> = {
  why_stage: [
    {
      // "Why is this a seasoning problem and not a storage one?", "为什么是开锅而不是仓储的问题？": the
      // asker sets the analysis's origin against another, whatever words name them.
      patterns: [
        /\bwhy\b[^?]{0,60}\b(and not|but not|rather than|instead of)\b[^?]{0,30}\b(problem|fault|issue|one|stage|step|process|station|line|cause|origin)\b/i,
      ],
      weight: 5,
    },
    {
      patterns: [
        /为什么.{0,24}(问题|工序|环节|阶段|造成|引起|导致)的?.{0,4}(而不是|而非)|为什么.{0,24}(而不是|而非).{0,16}(问题|工序|环节|阶段|原因|造成|引起|导致)/,
      ],
      weight: 5,
    },
    {
      // "为什么不算真空淬火的问题，而是开锅这一步？": why not the one the asker names, but the analysis's.
      patterns: [/为什么.{0,4}(不算|不是|不归|不判|没算).{2,24}(而是|却是|反而是?)/],
      weight: 5,
    },
    {
      // "Why is this not a vacuum quench problem?", "why isn't it the furnace?": the stage the asker
      // would blame, named against the analysis.
      patterns: [
        /\bwhy (is|was|isn'?t|wasn'?t)\b[^?]{0,20}\b(not|n'?t)\b[^?]{0,30}\b(stage|step|station|press|furnace|quench\w*|hon\w*|grind\w*|weld\w*|polish\w*|mou?ld\w*|stamp\w*|rivet\w*|glaz\w*|print\w*|heat[- ]treat\w*|passivat\w*)\b/i,
      ],
      weight: 4,
    },
    {
      // "Why isn't the rust a vacuum quench problem?": the negation in the verb itself.
      patterns: [
        /\bwhy (isn'?t|wasn'?t|aren'?t|weren'?t)\b[^?]{0,40}\b(stage|step|station|press|furnace|quench\w*|hon\w*|grind\w*|weld\w*|polish\w*|mou?ld\w*|stamp\w*|rivet\w*|glaz\w*|print\w*|heat[- ]treat\w*|passivat\w*)\b/i,
      ],
      weight: 4,
    },
    {
      // "Why not the stamping press?": the other stage the asker has in mind.
      patterns: [
        /\bwhy not\b[^?]{0,30}\b(stage|step|station|press|furnace|quench\w*|hon\w*|grind\w*|weld\w*|polish\w*|mou?ld\w*|stamp\w*|rivet\w*|glaz\w*|print\w*|heat[- ]treat\w*|passivat\w*)\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\bwhy (do|did|would) (you|we|the analysis) (think|say|believe|conclude|put|place|blame|pick|choose)\b|\b(how sure|how confident|how certain)\b.{0,25}\b(stage|origin|where|station|step)\b|\bwhat makes (you|the analysis) (think|say|sure)\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\bwhy\b/i,
        /\b(happen\w*|originat\w*|start\w*|made|arise|arose|come from|came from) (at|in|during|on)\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /为什么(判定|认为|说|觉得|定在)|凭什么|(有多|多大)把握|怎么(判断|确定)是(在)?.{0,8}(工序|环节|阶段)/,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\bwhy\b|\bhow (do|can|did) (you|we) (know|tell)\b/i,
        /\b(stage|step|process|station|operation)\b/i,
      ],
      weight: 2,
    },
    {
      patterns: [
        /\bwhy\b|\bhow come\b/i,
        /\b(and|but) not\b|\binstead of\b|\brather than\b|\bnot (at|in|from)\b/i,
      ],
      weight: 3,
    },
    { patterns: [/\b(what makes you (think|sure)|are you sure (it|this) (is|was|came))\b/i], weight: 2 },
    {
      patterns: [/\bwhy\b/i, /\b(put|place|pin|blame|assign|attribute)\w*\b[^?]{0,30}\b(at|on|to)\b/i],
      weight: 2,
    },
    { patterns: [/\b(could|might|can) it (be|have come from|come from)\b/i], weight: 1 },
    {
      patterns: [
        /\bwhich (production |process |manufacturing )?(stage|step|process|station|operation)\b|\bwhere (did|does) (it|this) (come from|originate|start)\b/i,
      ],
      weight: 2,
    },
    {
      patterns: [
        /为什么|为何|为啥|凭什么|怎么(知道|确定|判断)/,
        /工序|工位|工段|阶段|环节|而不是|不是|而非|(算|归|定|放)在|归到/,
      ],
      weight: 3,
    },
    { patterns: [/哪(个|道)(工序|工位|环节|阶段)|(来自|出在|源于)哪/], weight: 2 },
  ],
  which_sop: [
    { patterns: [/\bSOPs?\b/i], weight: 3 },
    {
      patterns: [
        /\b(procedure|work instruction|standard|specification|spec|document|reaction plan|process window)s?\b/i,
      ],
      weight: 2,
    },
    {
      patterns: [/\bwhich\b|\bwhat\b|\bwhere\b/i, /\b(covers?|governs?|applies|says?|written|rule)\b/i],
      weight: 1,
    },
    { patterns: [/作业指导书|指导书|标准|规程|程序文件|工艺文件|规范/], weight: 3 },
    { patterns: [/哪(个|份|条)|什么/, /规定|要求|覆盖|适用/], weight: 1 },
  ],
  history: [
    {
      // "Any earlier weld cracks on these bolsters at Yangjiang?": a question about past cases.
      patterns: [
        /^\s*(any|were there( any)?|have there been( any)?|is there( any)?)\s+(earlier|previous|prior|past|older)\b/i,
      ],
      weight: 3,
    },
    {
      // "Any record of this at Shenzhen?", "prior occurrences on this SKU?": the record of past cases.
      patterns: [
        /\b(any|past|previous|prior|earlier|older|other) (records?|occurrences?|instances?|incidents?|cases|reports|complaints|nc(r)?s)\b|\brecords? of (this|it|that|the same|similar)\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\bsame (as|problem|issue|defect|thing)\b.{0,20}\b(last|previous|before|earlier|again)\b|\b(last|previous) (month|week|year|quarter)('s)? (problem|issue|case|defect|complaint)\b|\b(seen|had) (this|it|that) before\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(happen(ed|s)?|seen|occur(red|s)?|had (this|it|that)|found (this|it)|c[ao]mes? up|crop(s|ped)? up|turn(s|ed)? up|show(s|n|ed)? up)\b/i,
        /\b(before|previously|earlier|again|in the past|(last|this) (year|month|quarter)|so far|in the (last|past) ([\w-]+ ){0,2}(years?|months?|weeks?|quarters?)|(in|during|since|throughout) (19|20)\d{2})\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(has|have|had|did)\b.*\b(had|have|see|seen|happen|happened|occur|occurred|find|found|get|got|given|caused|shown|produced|fail|failed|come back|came back|returned|rejected)\b/i,
        /\b(before|previously|in the (last|past)|last \d+|over the (last|past)|since|(last|this) year|so far|(in|during) (19|20)\d{2})\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(history|historical|track record|recurr\w*|repeat\w*|how (many|often)|first time|precedent)\b/i,
      ],
      weight: 2,
    },
    {
      patterns: [
        /\b(recorded|logged|reported|registered|raised|booked)\b/i,
        /\b(in the (last|past)|last \d+|over the (last|past)|since|this year|last year)\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(past|previous|earlier|similar) ([\w-]+ ){0,2}(cases?|defects?|records?|incidents?|occurrences?|problems?|issues?|complaints?)\b/i,
      ],
      weight: 2,
    },
    {
      patterns: [
        /以前|之前|过去|历史|曾经|发生过|出现过|出过|有过|碰到过|遇到过|再次|重复|多少次|几次|第一次|类似(案例|问题|缺陷)/,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(any|other|past|previous|earlier|more)\b/i,
        /\b(complaints?|returns?|claims?|incidents?|occurrences?)\b/i,
        /\b(this|last|past|the) (year|month|quarter|\d+ (months|weeks|days))\b|\bbefore\b|\bfrom\b|\bon\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [/去年|今年|上个?月|本月|半年|近.{0,3}(年|月|周)|有没有|是否有|有无/, /投诉|客诉|退货|退回/],
      weight: 3,
    },
  ],
  containment_shipped: [
    {
      patterns: [
        /\b(shipped|shipping|shipments?|dispatched|delivered|deliveries|consignments?|in transit|on the way|sent out)\b/i,
      ],
      weight: 3,
    },
    { patterns: [/\b(distributors?|dealers?|wholesalers?|importers?)\b/i], weight: 2 },
    {
      patterns: [
        /\b(warehouse|finished[- ]goods|inventory|stock|distribution cent(er|re)|customers?|retailers?|recall)\b/i,
      ],
      weight: 2,
    },
    { patterns: [/\b(already|out the door|left the (plant|factory))\b/i], weight: 1 },
    // "1,900 woks are still at the retail chain's DC: what containment?": stock that left the plant.
    {
      patterns: [
        /\b(retail( chains?)?|dcs?|stores|shops|shelves|e-?commerce)\b/i,
        /\b(still|remaining|left|sitting)\b|\bcontain\w*\b/i,
      ],
      weight: 3,
    },
    // "Part of the lot went out on last week's container": parts that left.
    {
      patterns: [/\b(went|gone|got) out\b|\b(containers?|trucks?|vessels?|air ?freight|sea ?freight)\b/i],
      weight: 3,
    },
    { patterns: [/已(经)?发货|发出去|出货|发运|在途|仓库|库存|成品库|召回|已交付|运出/], weight: 3 },
    { patterns: [/(发给|寄给|交给|送到|卖给|发到)了?(客户|客人|经销商|门店)/], weight: 3 },
    // "已经发货的…怎么处理？": what to do with the stock that left, not whether it happened before.
    {
      patterns: [
        /已(经)?发货|发出去|出货|发运|在途|仓库|库存|成品库/,
        /怎么(处理|办|弄)|如何(处理|处置)|处置/,
      ],
      weight: 2,
    },
    { patterns: [/客户|客人/], weight: 1 },
  ],
  rework: [
    {
      // "Can they go back through the temper furnace?", "run them again": a second pass of the process
      // ("rust usually goes back to the quench" says where a defect is usually placed, not a rework).
      patterns: [
        /(?<!\b(usually|normally|typically|always|generally|mostly|often)\s+)\b(go|goes|send|sent|put|run)\b[^?]{0,12}\bback (through|into|to|in)\b|\b(run|pass|put) (them|it) (again|twice)\b|\bsecond (pass|temper|run)\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\bre-?(work|weld|grind|ground|hone|polish|sharpen|temper|harden|treat|finish|rivet|print|mould|mold|glaze|season|coat|clean|wash|pack|sort|straighten|flatten|tighten|adjust|align|set|press|fit|bend|oil|handl|assembl|machin|mill)\w*\b/i,
      ],
      weight: 3,
    },
    { patterns: [/\b(salvage|repair|recover|save|fix up|touch up|rescue|strip\w*)\b/i], weight: 2 },
    { patterns: [/\b(acceptable|allowed|permitted|ok|okay)\b/i, /\bscrap\w*\b/i], weight: 2 },
    {
      patterns: [
        /\b(can|could)\b/i,
        /\b(again|pressed down|straighten\w*|flatten\w*|come off|be saved|be used)\b/i,
      ],
      weight: 2,
    },
    {
      patterns: [/\binstead of\b|\brather than\b|\bavoid\b|\bdo we have to\b|\bmust we\b/i, /\bscrap\w*\b/i],
      weight: 3,
    },
    {
      // Whether the parts can be fixed and then let go ("straightened and shipped", "swap the
      // handles and release them"): a question about rework, not about shipped stock.
      patterns: [
        /\b(can|could|may|is it ok to|are we allowed to)\b/i,
        /\b(and|then)\s+(ship|shipped|release|released|sell|sold|use|used|deliver|delivered)\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(swap|replace|change|exchange)\w*\b[^?.]{0,30}\b(handles?|scales?|rivets?|bolsters?|parts?|caps?)\b/i,
      ],
      weight: 2,
    },
    {
      patterns: [
        /返工|返修|返磨|返抛|补焊|重焊|重磨|校直|矫直|调直|再用|重新(焊|磨|抛|开刃|热处理|淬火|印|铆|回火)|修复|挽救|修补|不报废|代替报废|免于报废|能不能修|可以修|还是(只能)?报废/,
      ],
      weight: 3,
    },
    { patterns: [/报废/, /一定|必须|非要|能不能|可不可以|可以不|要不要/], weight: 2 },
    // "拆开重装可以吗，还是要报废？", "换新旋钮，玻璃盖继续用？": the parts fixed and kept, or scrapped.
    { patterns: [/还是(只能|要|得|必须)?报废/], weight: 3 },
    {
      patterns: [
        /(拆开|拆下|重装|重新装|换新|换个|换一个|更换)/,
        /(可以|能不能|能否|行不行|可不可以|行吗|继续用|还能用|再用)/,
      ],
      weight: 3,
    },
    // Fixing the parts and then letting them go ("修好以后再发货"): rework, not shipped stock.
    {
      patterns: [
        /(换|修|磨|抛|焊|铆|擦|洗|清理|打磨|返工|返修|校直|重新|处理).{0,8}(再|后|之后|以后)(出货|发货|放行|使用|卖|交货)/,
      ],
      weight: 4,
    },
    {
      patterns: [
        /\b(allow|allows|allowed|permit|permits|permitted|let us|lets us)\b/i,
        /\b(re-?work\w*|repair\w*)\b/i,
      ],
      weight: 3,
    },
    // Letting the parts go as they are, under a concession or a deviation: the other side of the
    // rework-or-scrap decision.
    { patterns: [CONCESSION], weight: 1 },
  ],
  severity_line_stop: [
    {
      patterns: [
        /\b(stop|halt|shut down|shutdown|pause|freeze) (the )?([\w-]+ ){0,3}(line|production|cell|furnace|machine|press)\b|\bline[- ]stop\b|\bstop[- ]the[- ]line\b|\b(stop|halt|shut down|pause|freeze) [a-z]{1,4}-?\d{1,3}\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(how (serious|bad|severe|critical)|severity|critical|safety (issue|risk|hazard)|dangerous|is (it|this) (serious|major|minor)|(serious|bad|severe|critical) enough)\b/i,
      ],
      weight: 2,
    },
    { patterns: [/\b(escalat\w*|MRB|alarm|urgent)\b/i], weight: 1 },
    { patterns: [/停线|停产|停机|停炉|停止生产|停下|关线|停.{0,4}(线|炉|机)/], weight: 3 },
    { patterns: [/\bstop\b/i, /\b(need|needs|should|must|have to|has to|do we)\b/i], weight: 2 },
    { patterns: [/严重|危险|安全(问题|风险|隐患)|多严重|等级|级别|升级|紧急/], weight: 2 },
    {
      patterns: [
        /\b(drives?|decides?|sets?|governs?|determines?) the (disposition|severity)\b|\b(main|primary|worse|worst|more severe) (defect|one|issue)\b/i,
      ],
      weight: 4,
    },
    { patterns: [/(哪个|哪一个)(缺陷|问题)?(决定|主导)|主要缺陷|更严重的/], weight: 4 },
    {
      patterns: [
        /\b(keep|carry on|continue|go on)\b.{0,12}\b(running|going|producing|production|the line|making)\b|\brun on\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [/\b(is|was) (it|this|that) (so |really |very )?(bad|serious|a big deal|dangerous|safe)\b/i],
      weight: 2,
    },
  ],
  missing_evidence: [
    {
      patterns: [
        /\b(what|which) ([\w-]+ ){0,3}(should|can|shall|do|must) (i|we) ask\b|\bwhat (to|do i|should i) ask\b|\bask (them|him|her|the [\w-]+) for\b/i,
      ],
      weight: 4,
    },
    {
      patterns: [
        /\bwhat (else )?(do|would|will) you need\b|\bwhat else\b.*\b(need|want|send|provide|give)\b|\bwhat (do|does|would|will|should|must) (we|i|you|they) (still |also )?need\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(what|which) (\w+ ){0,3}(readings|records|data|measurements|photos|pictures|samples|information|documents|reports)\b[^?]{0,40}\b(send|provide|collect|give|bring|attach|share|supply)\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(missing|lacking|gaps? in (the |this |our )?(evidence|data|analysis|information|report)|any (other )?gaps|more (info|information|data|evidence|details)|additional (info|information|data|evidence))\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(what|which) (\w+ ){0,3}(should|can|shall|do|must) (i|we|they|the (line|lab|shift|inspectors?|operators?|supplier|customer|warehouse)) (measure|send|provide|collect|check|photograph|test|attach|bring|record|gather)\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(evidence|data|measurements?|information)\b/i,
        /\b(need|needed|required|confirm|verify|prove)\b/i,
      ],
      weight: 1,
    },
    {
      patterns: [
        /还需要|缺(少|什么|哪些)|补充|需要(我)?(提供|测量|拍|送|收集|检查)|什么(数据|信息|证据|资料)|哪些(数据|信息|证据|资料)/,
      ],
      weight: 4,
    },
  ],
  effectiveness_check: [
    {
      // "How do we check that resetting the guide actually fixed the angle?": the check of the fix.
      patterns: [
        /\b(actually|really) (fixed|solved|worked|cured|stopped|removed)\b|\b(check|verify|confirm|prove|know|tell) (that|whether|if)\b[^?]{0,80}\b(fixed|solved|worked|cured|stopped|effective)\b/i,
      ],
      weight: 4,
    },
    {
      // What to measure once a fix is made ("after calibrating the thermocouple, what should we
      // measure?"): the check of the fix, not evidence for the analysis.
      patterns: [
        /^\s*(after|once|now that|when)\b[^?,]{0,40}\b(fix|replac|chang|calibrat|repair|install|adjust|dress|clean|train|updat|correct|renew|refill|tighten|align|re-[a-z]+|re(measur|dress|grind|ground|calibrat|align|tighten|train|fit|set|seal|place|pair|work|do|did|load|start))\w*\b/i,
        /\b(what|which)\b[^?]{0,30}\b(measure|check|monitor|track|test|watch)\b/i,
      ],
      weight: 4,
    },
    {
      patterns: [
        /(修好|换好|校准|更换|调整|改好|处理好?|整改)了?(以后|之后|后).{0,10}(测|查|检|看|监控|跟踪|验证)/,
      ],
      weight: 4,
    },
    {
      patterns: [
        /\b(effective(ness)?|worked|works|working|did (it|the fix|that) (work|hold)|hold(s|ing)?)\b/i,
        /\b(check|verify|know|confirm|measure|prove|tell|validate|show)\w*\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(validat\w*|verif\w*) (the |our |this )?(corrective |preventive )?(fix|action|actions|correction|capa|measures?)\b|\bhow (do|will|can) we (know|tell|check|confirm)\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\b(prove|show|confirm|verify|demonstrate|make sure|track|monitor|follow)\b/i,
        /\b(stopped|worked|fixed|repaired|effective|solved|gone|no longer|not come back|does not recur|won'?t recur|how long)\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [/\b(metric|kpi|threshold|success criteria|acceptance criteria|follow[- ]up check)\b/i],
      weight: 2,
    },
    {
      // What to watch over a time still to come ("over the next weeks", "for the coming lots"): the
      // check of the fix, not evidence for the analysis.
      patterns: [
        /\b(over|for|in|during) the (next|coming|following) ([\w-]+ ){0,2}(days?|weeks?|months?|lots?|shifts?|batches|runs?|deliveries)\b/i,
      ],
      weight: 2,
    },
    {
      patterns: [
        /\b(for )?how long\b|\bhow many (lots|weeks|days|shifts|batches|runs)\b/i,
        /\b(check|measure|monitor|watch|track|run|keep|close|sample)\w*\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [/\bbefore (we )?(can )?close\b|\bclose (it|this|the (capa|8d|action|case|ncr))( out)?\b/i],
      weight: 3,
    },
    {
      patterns: [
        /有效|见效|管用|起作用|效果|验证|确认.*(解决|改善|有效)|怎么(知道|确认|判断).*(好|解决|改善|有效)|指标|判定标准/,
      ],
      weight: 3,
    },
    { patterns: [/(判断|证明|确认|说明|知道).{0,12}(不再|没再|没有再)(发生|出现|复发)/], weight: 5 },
    // "怎么验证措施有效", "整改效果怎么确认": whether the action works, wherever the question starts.
    {
      patterns: [
        /验证.{0,6}(措施|整改|纠正|对策|改善).{0,4}(是否)?有效|(措施|整改|纠正|对策)(是否)?有效|(措施|整改|对策)的?(效果|有效性)/,
      ],
      weight: 5,
    },
    {
      patterns: [
        /\bsuccess criteri(on|a)\b|\bis (the|our|this) (fix|action|correction|capa) (working|holding|effective)\b|\b(prove|proves|proving|shows?|confirms?)\b.{0,15}\b(the )?(fix|action|correction|capa)\b/i,
      ],
      weight: 4,
    },
    {
      patterns: [
        /\b(watch|monitor|track|follow)\w*\b/i,
        /\b(for|over|during) the (next|coming|following)\b|\b(numbers|metrics?|kpis?|figures)\b/i,
      ],
      weight: 3,
    },
    {
      patterns: [
        /\bhow many (loads|lots|batches|weeks|days|shifts|runs|months)\b.{0,30}\b(before|until)\b|\b(call it done|close it out)\b/i,
      ],
      weight: 4,
    },
    {
      patterns: [/(跟踪|监控|观察|验证)(多久|多长时间|几个月|几批)|整改后.{0,8}(跟踪|监控|观察|看)/],
      weight: 4,
    },
    {
      patterns: [
        /\bafter (the |our |this )?(fix|change|correction|corrective action|action|repair|capa)\b/i,
        /\b(measure|check|monitor|watch|track|sample|test)\w*\b/i,
      ],
      weight: 3,
    },
  ],
  owner: [
    {
      patterns: [
        /\bwho\b/i,
        /\b(own|owns|owner|responsible|in charge|accountable|lead|leads|do|does|handle|handles|handling|take|takes|sign|decide|decides|decided|approve|approves|release|releases|on the hook|driving|drives)\b/i,
      ],
      weight: 3,
    },
    { patterns: [/\b(owner|responsib\w*|accountab\w*|whose (job|task|action))\b/i], weight: 2 },
    // A question that opens with "who" and asks who owns or leads: whatever the thing owned is
    // ("who owns the follow-up on the missing post-cure?").
    {
      patterns: [
        /^\W*(so |and |ok,? )?who\b/i,
        /\b(own|owns|owner|responsible|in charge|accountable|lead|leads|drive|drives|handle|handles)\b/i,
      ],
      weight: 3,
    },
    { patterns: [/\bwhich (team|department|role|person|engineer|group)\b/i], weight: 2 },
    { patterns: [/谁|哪个(部门|人|岗位|工程师|团队)|负责人|责任人|负责|归口/], weight: 3 },
    // "…应该由谁负责？": who is to do it outweighs what it is about (a check, a print, a sort).
    { patterns: [/(由|让|归)谁(来)?(负责|做|执行|处理|批准|跟进)|谁(来)?负责/], weight: 3 },
  ],
};

/** Words that name each facility, in English and Chinese. */
export const FACILITY_TERMS: Record<Facility, RegExp> = {
  yangjiang: /yang\s*jiang|\bYJ\b|阳江/i,
  shenzhen: /shen\s*zhen|\bSZ\b|深圳/i,
  hongkong: /hong\s*kong|\bHK\b|香港/i,
};

/** Words that name each SKU: its code, and for knives its size. */
export const SKU_TERMS: Record<ProductSku, RegExp> = {
  'WK-KN-200': /WK-?KN-?200|8["”″]? ?(inch|in\b|")|8寸|chef'?s? knife|主厨刀|厨师刀/i,
  'WK-KN-150': /WK-?KN-?150|6["”″]? ?(inch|in\b|")|6寸|多用刀|utility knife/i,
  'WK-KN-100': /WK-?KN-?100|4["”″]? ?(inch|in\b|")|4寸|paring knife|水果刀|削皮刀/i,
  'WK-SC-200': /WK-?SC-?200|scissors|剪刀/i,
  'WK-CI-200': /WK-?CI-?200|20 ?cm|pan\b|煎锅|平底锅/i,
  'WK-CI-280': /WK-?CI-?280|28 ?cm|\bwok\b|炒锅/i,
};

/** Words that name each production stage, in English and Chinese. */
export const STAGE_TERMS: Record<ProductionStage, RegExp> = {
  blade_stamp: /blade[_ ]stamp\w*|stamping|forging|\bpress(ing)?\b|冲压|锻造|落料/i,
  bolster_welding: /bolster[_ ]weld\w*|\bweld(ing)?\b|焊接|焊/i,
  back_edge_polishing: /back[_ -]edge[_ ]polish\w*|spine polish\w*|刀背抛光|背部抛光/i,
  taper_grinding: /taper[_ ]grind\w*|v-?grind\w*|\bgrinding\b|研磨|磨削|锥度/i,
  heat_treatment:
    /heat[_ -]treat\w*|hardening|tempering|anneal\w*|nitrid\w*|\bfurnace\b|热处理|回火|退火|渗氮|氮化|正火|炉/i,
  vacuum_quench: /vacuum[_ ]quench\w*|\bquench\w*|淬火/i,
  handle_injection: /handle[_ ]injection|injection mou?ld\w*|\bmou?lding\b|注塑/i,
  rivet_assembly: /rivet[_ ]assembly|rivet\w*|铆接|铆钉/i,
  handle_polishing: /handle[_ ]polish\w*|手柄抛光/i,
  blade_glazing: /blade[_ ]glaz\w*|glazing|mirror finish|buffing|刀身抛光|镜面|上光/i,
  cutting_edge_honing: /cutting[_ ]edge[_ ]hon\w*|\bhon(e|ing)\b|sharpening|开刃|磨刃/i,
  logo_print: /logo[_ ]print\w*|logo|printing|pad print\w*|印标|丝印|印刷/i,
};

/** Phrases after which a question names the alternative it has in mind ("and not X", "而不是X"). */
export const ALTERNATIVE_MARKERS: readonly RegExp[] = [
  // "why not put it down to the rinse instead of the furnace?": what the asker would blame comes first.
  /\bwhy (?:not|don'?t we|wouldn'?t we) (?:blame|put it (?:on|at|down to)|pin it on|say it is|suspect) (?:the )?([a-z][a-z' -]{2,40}?)(?=\s(?:rather than|instead of|and not|over)\b|[?.,!;]|$)/i,
  /\b(?:and|but) not (?:at |in |from |during |the )?([a-z][a-z' -]{2,40}?)(?=[?.,!;]|$|\s(?:stage|step|process)\b)/i,
  /\b(?:instead of|rather than|not at|not from|not in|not during) (?:the )?([a-z][a-z' -]{2,40}?)(?=[?.,!;]|$|\s(?:stage|step|process)\b)/i,
  // "为什么不算真空淬火的问题，而是…": the stage the asker would blame comes after 不算.
  /为什么.{0,4}(?:不算|不归|不判|没算)(?:在|是)?([\u4e00-\u9fffA-Za-z_ -]{2,20}?)(?:的问题|造成的|工序|阶段|环节)?(?=[，,？?。]|而)/,
  /(?:而不是|而非|不是|并非)(?:在)?([\u4e00-\u9fffA-Za-z_ -]{2,20}?)(?:工序|阶段|环节)?(?=[？?。，,！!]|$|呢|吗)/,
  /\b(?:couldn'?t|could|can'?t|might|may|wouldn'?t) (?:it|this|they|that) (?:also )?(?:be|have been|come from) (?:the |from the |at the |in the )?([a-z][a-z' -]{2,40}?)(?=[?.,!;]|$|\s(?:stage|step|process)\b)/i,
  /\b(?:couldn'?t|could|can'?t|might|may|wouldn'?t) (?:the )?([a-z][a-z' -]{2,30}?) (?:be|have been) (?:the |to blame|the cause|the source|responsible)/i,
  /\b(?:isn'?t it|is it not|what about|why not|how about) (?:the |at the |in the )?([a-z][a-z' -]{2,40}?)(?:\s+again)?(?=[?.,!;]|$|\s(?:stage|step|process)\b)/i,
  /(?:会不会是|是不是|难道不是|可能是|有没有可能是)(?:在)?([\u4e00-\u9fffA-Za-z_ -]{2,20}?)(?:的问题|造成的|引起的|工序|阶段|环节)?(?=[？?。，,！!]|$|呢|吗)/,
];

/** "why put this rust at the passivation step and not at …": the place the asker says the analysis chose. */
export const ASSUMED_PLACE =
  /\b(?:put|place|placed|pin|pinned|blame|blamed|assign|assigned|attribute|attributed)\b[^?]{0,20}?\b(?:at|on|in|to|down to) (?:the )?([a-z][a-z' -]{2,40}?)\s(?=(?:and not|but not|rather than|instead of|not at|not in)\b)/i;
/** "handle moulding, or somewhere else?": the other place left open. */
export const OPEN_ALTERNATIVE =
  /\bor (somewhere else|anywhere else|elsewhere|another (?:stage|step|station)|a later (?:stage|step)|an earlier (?:stage|step))\b/i;

/** Phrases that set a look-back window, with its length in days. */
export const WINDOW_TERMS: ReadonlyArray<{ pattern: RegExp; days: number }> = [
  { pattern: /\b(last|past) (two|2) years?\b|两年|近2年/i, days: 730 },
  { pattern: /\b(last|past|this) year\b|\b12 months\b|去年|今年|一年|近一年/i, days: 365 },
  { pattern: /\b(last|past) (six|6) months\b|半年|六个月/i, days: 180 },
  { pattern: /\b(last|past|this) quarter\b|\b(three|3) months\b|季度|三个月/i, days: 90 },
  { pattern: /\b(last|past|this) month\b|\b30 days\b|上个月|本月|这个月|一个月/i, days: 30 },
];
