/**
 * The causes a report states or evidences, with their 6M branch: the words of a failure of each
 * kind (a worn machine, a changed setting, a person new to the station, a new lot, a gauge out of
 * calibration, the weather), settings read against their window, and the first answer of a why chain.
 */
import { PRODUCTION_STAGES, type Category6M, type ProductionStage } from '../../domain/index.ts';
import {
  CAUSE_CATEGORY_MATCHERS,
  CAUSE_MARKERS,
  COMPLAINT_LABEL,
  HYPOTHESIS_MARKERS,
  STAGE_MATCHERS,
  WITHIN_LIMIT,
} from './matchers.ts';
import type { MeasuredValue, StatedCause, TermHit } from './schema.ts';
import { type Clause } from './segment.ts';

/**
 * What kind of failure a cause describes, by 6M branch (the practice of the fishbone): a worn,
 * broken, leaking or drifting piece of equipment is machine; a changed setting, program, recipe,
 * sequence, a skipped step or a missing or silent work instruction is method; a person who forgot,
 * did not follow the instruction or was new is man; a new lot or supplier is material; a gauge, tester, calibration or sampling is
 * measurement; humidity, temperature of the shop, weather or dust is environment. These weigh more
 * than the nouns of the glossary, which say where the cause is rather than what kind it is.
 */
const CAUSE_KINDS: Record<Category6M, RegExp> = {
  machine:
    /(?<!\b(ac|a\/c|hvac|aircon|air ?con(ditioning)?|air-conditioning|dehumidifier)\s)\b(fan|pump|motor|heater|breaker|blower|compressor|chiller)s?\b[^.;,]{0,40}\btrip(ped|s)?\b|(fan|风扇|风机|泵|电机)[^。，,;；]{0,20}(跳闸|trip\s*了|停了|停转)|\bwore (thru|through|out)\b|\bworn (thru|through)\b|(加热管|加热器|发热管|加热丝|电热丝|线圈|灯管|内衬|衬垫|皮带|链条)[^。，,;；]{0,4}(断了|断裂|断开|磨穿|破了|裂了)|磨穿|\b(not|never) (been )?(change|replace)\s*(yet)?$|(加热管|加热器|加热棒|加热圈|发热管|线圈|电机|马达|风扇|接触器)[^。，,;；]{0,4}(烧了|烧坏|烧断|烧毁)|\b(heater|element|coil|motor|fan|contactor)s?\b[^.;,]{0,15}\b(burnt|burned) (out|through)?|\b(not|never) (been )?(reset|re-?zeroed|refitted|re-?fitted|put back|re-?adjusted|re-?installed|re-?tightened|re-?set)\b|\b(knocked|fell) off\b|(?<!(水|液|槽|溶液|清洗液|冷却液|切削液)[^，。；,;]{0,6})(个月|周|天)(都)?(没|没有|未)(换|更换)|\b(over|beyond|exceeded)\s+(its\s+)?(rated\s+|service\s+)?(life|lifetime)\b|\blife\s*(is|of|:)?\s*[\d,]+\s*(h|hours)\b|\b(had |has )?lost (its|the|a) [a-z]+|磨大|寿命(已)?(到|超)|(?<!\b(aircon|air ?con(ditioning)?|ac|a\/c|hvac)\b[^.;]{0,30})\b(worn|wear|broken|broke|failed|(?<!\b(to|at|until|till)\s)failure|(?<!\broof\b[^.;]{0,30})leak(?!\s*-?(test|check|rate|tightness))\w*|drift\w*|clogged|blocked|burn(ed|t) out|faulty|fault|dead|tripped|malfunction\w*|loose|cracked (die|punch|nozzle)|alarm|not (reaching|holding) (the )?(setpoint|temperature|pressure)|knocked out of (line|position)|ran dry|run dry|running dry|loaded with (grit|swarf|compound|metal|chips|dirt|residue)|dry grinding|(?<!\b(bath|baths|solution|water|coolant|oil|fluid|acid|rinse|pickle|electrolyte)\b[^.;]{0,25})(not|never) (changed|replaced|dressed)|past (its|the) (dressing|service|change|replacement|stroke|life)\w*( interval| limit| count)?|since (the )?last (regrind|re-grind|resharpen\w*|sharpening|dressing|service|overhaul|maintenance)|dripping|(tray|guard|cover|hose) (is |was )?(cracked|split|torn|missing)|(die|dies|punch|punches|pin|pins|tool|tooling|nozzle|mould|mold|cavity|insert|rack|racks|slot|slots|fixture|fixtures|jig|jigs|clamp|clamps|holder|holders)\b[^.;]{0,25}\b(bent|chipped|damaged|deformed|cracked)|unstable|erratic|intermittent\w*|(lamps?|bulbs?|emitters?)\b[^.;]{0,30}\b(output|intensity|irradiance)|over-?temp(erature)?|overshoot\w*)\b|(冲模|模具|冲头|顶针|型芯|刀模|模)[^。，,;；]{0,8}(崩|裂了|弯|变形)|不稳定|时快时慢|时好时坏|超温|过温|超过?(了)?(使用)?寿命|超寿命|超期使用|磨损|磨出(了)?(台阶|沟|槽|凹坑|坑|平面)|磨得不平|磨平了|磨秃|磨圆|超(过)?\s*(了)?\s*(更换|保养|维护|使用)?\s*(周期|寿命)|磨钝|(风机|风扇|泵|电机|马达|冷水机|冷却机)[^。，,;；]{0,6}(停机|停了|停转|不转)|损坏|(?<!(空调|冷气|暖气|除湿机|抽湿机)[^。，,;；]{0,10})故障|漏气|泄漏|失灵|堵塞|堵了|堵住|(?<!(空调|冷气|暖气|除湿机|抽湿机)[^。，,;；]{0,10})坏了|老化|漂移|松动|线松|不热|不工作|报警|烧断|烧坏|干磨|(?<!(水|液|油|槽|water|bath|solution|coolant|oil)[^。，,;；]{0,8})(没换|未更换|没有更换)|喷嘴偏|偏了|发硬|嵌了|粘了|沾了|沾满|沾有/gu,
  method:
    /\b(kept|went on|carried on|continued) ([a-z]+ing )?([a-z]+ ){0,2}without\b|\bwithout (taping|tape|masking|covering|interleav\w*|the (guard|tape|film|sleeve|cover|insert|interleaf)s?)\b|(设定|设置|参数)[^。；]{0,16}(仍是|还是|仍为|仍然是)|没有?改回|未改回|没改回来|试验时的(参数|设定|温度)|\b(still|left) (at|on) (the )?(trial|test|old|previous)\b[^.;]{0,20}\b(setting|value|recipe|program|parameter|temperature)s?\b|\b(pressure|speed|temp(erature)?|current|voltage|feed|time|force|torque|flow|rpm|setting|parameter)s?\b[^.;,]{0,20}\d+(\.\d+)?\s*[a-z°%/]*\s*(→|->|=>|➜)\s*\d|\b(no|without|not through|skipped|bypassed)\b[^.;]{0,10}\b(change (approval|control|request)|approval|sign-?off)\b|没有?\s*(走)?\s*(change approval|change request|变更|审批)|\bdecided to (use|add|run|skip|raise|increase|cut|reduce|lower|double)\b|决定(多加|加大|改用|减少|提高|降低|跳过|不做)|未(经)?(走)?(变更|审批)|\b(pressure|speed|temp(erature)?|current|voltage|feed|time|force|torque|flow|rpm|setting|parameter)s?\b[^.;,]{0,12}\b(changed?|set|raised|lowered|increased|decreased|reduced|turned (up|down)|bumped) (up |down )?(to|from) \d|\binstead of\b[^.;]{0,40}\bas (the )?(card|sop|wi|procedure|instruction|work instruction|recipe|standard|drawing|plan) (says|requires|calls for|specifies|states)\b|\b(not|never|stopped|no longer)\s+(\w+\s+)?(taping|taped|covering|covered|filming|wiping|wiped|oiling|oiled|drying|dried|preheating|preheated|degreasing|degreased|rinsing|rinsed|deburring|deburred)\b|\b(film|tape|cover|guard film|protective film)s?\s+(was |were )?(not|never) (put on|applied|used)\b|(没有?|未)(按规定)?(贴膜|贴胶|包膜|上油|烘干|预热|除油|去毛刺)|调快|调慢|加快了?速度|提速|设(得)?(高|低|错)了?|设置错误|参数错误|\bwrong (die|insert|tool|fixture|jig|programme|program|nest|punch|mould|mold)s?( inserts?)?\b[^.;]{0,20}\b(fitted|installed|used|loaded|mounted|set up|put in)\b|\b(sprayed|applied|dosed)\s+(too\s+)?(heavy|heavily|thick|thickly)\b|(没做|没有做|未做|漏做|跳过)\s*(首件|leak ?test|检漏|试漏|验证)|(first[- ]article|leak ?test|首件|检漏|试漏)[^。，,;；]{0,4}(也)?(没做|没有做|未做|漏做|没有验证)|\b(no|without (a )?|never did (a )?|did not do (a )?|didn'?t do (a )?)(leak|vacuum leak) test\b|\b(changed|change of|raised|increased|reduced|lowered|set (to|at)|setpoint|recipe|program\w*|parameters?|sequence|no first[- ]article|first[- ]article (check )?(was )?(also )?(not|never|skipped)|not in the (work instruction|wi|sop)|no (sop|wi|work instruction)|loaded(?! with)|stacked|packed (two|2)|instead of(?! (cutting|slicing|being|looking|staying|closing|opening|gliding))|shortened|lengthened|extended|doubled|halved|bumped (up|down)|turned (up|down)|skipp?ed|was skipp?ed|(dressing|cleaning|clean-?out|purge|wipe-?down|nozzle clean\w*) (was |were )?(skipp?ed|missed|not done|left out)|old (print|drawing|revision|rev)|wrong (revision|rev|drawing|print)|off the sheet|no (limit|reference|master|boundary) samples?|without (a )?(first[- ]article|validation|trial run|re-?measur\w*)|no validation|not validated|not re-?measured|no [a-z]+( [a-z]+)? (value |limit |time )?(in|on) the (wi|work instruction|sop))\b|\b(wi|work instruction|sop|recipe|spec|procedure) (says|calls for|requires|specifies)\b|\bsped up|\bslowed down|\bcut from\b|(没做|没有做|未做|漏做|跳过)\s*first[- ]article|改成|改为|调高|调低|调大|调小|调到|调成|开到最大|开到最小|开大了?|关小了?|提到|降到|改到|参数|程序|工艺|首件|作业指导|没有规定|设定|装炉|叠放|堆放|跳过|没有复测|未复测|没有验证|未验证|没有做\s*validation|直接开机|旧图纸|旧版图纸|图纸版本|没有\s*(limit sample|样板|限度样本?|标准样)|没规定|未规定|没有要求|未要求|\b(not|never) (taped|covered|protected|masked)\b|未保护|没保护|没贴膜|未贴膜|(?<!(操作员|操作工|员工|工人)[^，。,]{0,4})(没(有)?|未)贴保护膜|\b(vs|versus)\.?\s+[\d.]+\s*\S*\s*(required|specified|per (the )?(sop|wi|spec))\b|(设定|设置|实际|参数|温度|炉温|压力|气压|速度|转速|时间|电流|电压|流量|扭力|扭矩)[^。；，,]{0,20}(要求|规定)\s*[\d<>≤≥]|(要求|规定)\s*[\d<>≤≥][^。；，,]{0,20}(设定|设置|实际|参数)|(标准|工艺要求?)(是|为)\s*\d|\bnot (blown|rinsed|dried|degreased|brushed)( off| out| away| down)?\b|\b(not|never|wasn'?t|weren'?t) (wiped|cleaned|washed|cleared)\b|\bleft on the (wheel|belt|die|tool|fixture|platen)\b|没(有)?(擦干净|擦干|洗干净)|未(擦干|清洗)|缩到|缩短|减到|减少到|提高到|提高了|加快|加大到|增加到|降低到|(水|液|槽液|溶液|油|water|bath|solution|coolant|oil)[^。，,;；]{0,8}(没换|未更换|没有更换)|(压力|气压|压强|时间|扭力|扭矩|力度|保压)[^。，,;；]{0,4}(不够|不足|太短|过短)|\b(pressure|force|torque|dwell( time)?|hold time)\b[^.;]{0,15}\b(too (low|short)|insufficient|not enough|inadequate)\b|\b(insufficient|not enough|inadequate|too little)\b[^.;]{0,10}\b(pressure|force|torque|dwell)\b|\b(bath|baths|solution|water|coolant|oil|fluid|acid|rinse|pickle|electrolyte)\b[^.;]{0,25}\b(not|never|wasn'?t|weren'?t|hadn'?t been|had not been) (changed|replaced|refreshed|renewed|dumped|drained)\b|\b(ran|run|runs|running|was running|were running|went|pushed|sped) (\w+ )?(faster|quicker|at a higher speed|above (the )?rated speed)\b|\b(to catch up|catch(ing)? up (on )?(the |an? )?(order|backlog|shipment|delivery|schedule))\b|\brushed\b|赶货|赶工|赶产量|赶单|赶交期|\b\d+\s*% (faster|slower|higher|lower|hotter|colder|more|less)\b|\b(traveller|traveler|router|routing|route card|job card)\b[^.;]{0,40}\b(no|without|missing|omits?|left out)\b|没(有)?(吹干净|吹掉|烘干|除尘|去油)|\b(touching|knocking against|rubbing (against|on)) each other\b|\bloose in the (tray|bin|box|crate|tote|bag|carton|basket)\b|\binto the (tray|bin|box|crate|tote|bag|carton|basket) loose\b|\b(no|without( a| any)?) (jig|fixture|separators?|dividers?|partitions?|protective (tape|film|cover|sleeve)s?|tape|guards?|counter|poka-?yoke|error-?proofing|stop block)\b( (was |were )?(used|fitted|in place|on the blade))?|\b(die|tool|wheel|belt|mould|mold|fixture|punch) change(over)?\b(?! interval)|\bset (too )?(short|long|low|high|shallow|deep|wrong)\b|没有?(用|使用)?[^，。,;；]{0,4}(夹具|治具|隔板|隔层|保护膜|防错|计数器)|\b(dropped|removed|deleted|taken out) (from|in) (the )?(wi|sop|work instruction|procedure)\b|互相碰|相互碰|互相摩擦|碰在一起|\b(dispensers?|stands?|racks?|stations?|benches|bench|tables?|bins?|screens?|guards?|lamps?) (was|were|got|had been) (moved|relocated|taken away|removed)\b|\b(extra|excess(ive)?|too much|more) (release agent|mou?ld release|oil|compound|coolant|flux|spray|grease)\b|脱模剂[^。，,;；]{0,6}(太多|过多|喷多|多了)|\bwithout (being )?(tempering|tempered|washing|washed|cleaning|cleaned|deburring|deburred|passivation|passivated|drying|dried|rinsing|rinsed|inspection|inspected)\b|\bwent straight (to|into|on to)\b|(没有|没|未)(经过?)?(回火|清洗|去毛刺|钝化|烘干|漂洗)|直接(过去|流到|流入|送到|进入|转到)|(修整|清理|清洁|清扫|吹扫)[^。，,;；]{0,6}(没做|没有做|未做|漏做|跳过|没修|没清)|没(有)?混匀|未混匀|混合不均|\b(not|never) (mixed|blended|stirred) (evenly|properly|well|long enough)\b|(删掉|删除|取消)了?(这一步|这个步骤|步骤|工序)|不洗|没洗|未清洗|直接进炉|口头(安排|通知|交代)/gu,
  man: /\b(not on the ([a-z0-9-]+ ){0,2}(skill matrix|qualification list|qualified list)|signed off (for|on) [a-z -]{1,20} only|forgot|forgotten|did not follow|didn'?t follow|new (operator|worker|guy|temp|hire|welder|starter|joiner)|first (day|shift|week) (on|at)|temp worker|(temporary|agency|contract) (welder|operator|worker|staff|hand)s?|(not (yet )?|un)qualified|(not (yet )?|un)certified|(not (yet )?|un)trained|\b(is|was|are|were) (brand )?new\b|no (welding |operator )?(certificate|certification|qualification)|(didn'?t|did not|does not|doesn'?t) know\b|no ([a-z-]+ ){0,2}(certificate|certification|qualification|training record)s?|trainees?|apprentices?|not (yet )?signed off( for| on)?|no sign-?off|(has|have|had)( not|n'?t) (done|passed|completed|got|obtained|taken) (the |his |her |their |a )?([a-z-]+ ){0,2}(qualification|certificate|certification|training|sign-?off)|came over from (the )?([a-z-]+ ){0,2}(line|shift|department|team|cell|packing|stores|warehouse)|borrowed from (the |another |a )?([a-z-]+ ){0,2}(line|shift|department|team|cell)|(regular|usual|normal) (welder|operator|setter|setup man|technician)s? (was |were |is )?(on leave|off|absent|sick|on holiday|away)|untrained|not trained|by hand|(no|without|not wearing|didn'?t wear|did not wear) gloves?|gloves? (not|weren'?t|were not|wasn'?t) (worn|changed|used|available)|bare[- ]handed|bare hands?)\b|没(有)?戴手套|未戴手套|不戴手套|没有?手套|手套(缺货|用完|没了)|忘|新来的|新手|新员工|未培训|没培训|第一天|没人带|无人带|临时工|临时焊工|劳务派遣|派遣工|(从|由)[^。，,;；]{0,8}(临时)?(调来|借调|借来|调过来)|临时调(来|过来|用)|(没有|无|未取得)[^。，,;；]{0,6}(资质|资格|上岗证|证书)|无证上岗|顶岗|顶班|替班|(没有|无)[^。，,;；]{0,8}(焊工证|操作证|培训签字|培训记录)|skill matrix\s*上没有|不知道(要|需要|该|应该|得)|不懂(得)?(要|需要|该|应该)|漏做|没按(?!时)|徒手|人为|私自|擅自|被(操作员|操作工|员工|工人|师傅)|(操作员|操作工|员工|工人|师傅)[^。，,;；]{0,4}自己/gu,
  material:
    /\bnew (\w+ )?(lot|batch)\b|新到的?(一)?批|新来的?(一)?批|(标签|标识)(贴错|错了|错误)|(发的|领的|用的|装的)(保护气|气瓶|焊丝|砂带|砂轮|气)[^。；]{0,6}不是|(浓度|含量)[^。，,;；]{0,4}(不够|不足|偏低|太低|过低)|(换了|换成|改用)(了)?(新的?)?(牌子|品牌|厂家)|新(牌子|品牌|厂家)|\b(switched|changed|swapped|substituted)\b[^.;]{0,16}\b(compound|resin|material|grade|steel|alloy|masterbatch|powder|frit|glue|adhesive|wire)\s+(from|to|for)\b|(换了?|改用|换成|替换)[^。，,;；]{0,8}(牌号|材质|胶木粉|原料|树脂|钢材|釉料|粉料)|\b(concentration|strength)\b[^.;]{0,15}\b(too low|low|insufficient|weak|dropped|below (spec|the window|limit))\b|\b(weak|spent|exhausted) (bath|solution|detergent|acid)\b|\bnew (brand|make)\b|\b(new (lot|batch|supplier|resin|steel|material|stockholder|stockist|vendor|source)|(cheaper|new|different|another) (\w+ )?(compound|resin|steel|grade|masterbatch)|(gas|argon|co2|shielding)\b[^.;]{0,25}\b(ran low|running low|almost empty|nearly empty|empty|ran out|running out)|(new|another|different|changed|second|alternative|cheaper|approved|unapproved) (\w+ )?(supplier|vendor|mill|source|purchasing source|supply source)|(supplier|vendor|mill)('s|s')? (\w+ )?(lot|batch|material|steel|coil|resin|change|changed|process|heat|cert\w*|certificate|pcn)|\b(supplier|vendor|mill)\b[^.;]{0,30}\b(changed|switched|moved|new|substituted|swapped)\b|(from|by|at) (the |a |our |their )?(\w+ )?(supplier|vendor|mill)\b(?! (portal|quality|qa|sqe|engineer|audit|scorecard|meeting))|resin lot|steel lot|coil|raw material|compound (lot|batch)|incoming)\b|新批次|新一批|新批|换批|换了批次|批次(变更|更换|换了)|(换了?|新的?|另一家|其他)[^。，,;；]{0,6}供应商|供应商[^。，,;；]{0,6}(换|变更|批次|来料|材料|钢材|原料|工艺|炉号|这卷|这批|的料|料)|钢材批次|料批|混料(?!机|时间|记录|搅拌|工序|工艺)|混批|混用|\b(mixed|two) (resin |material |steel )?(lots|batches)\b|\blots? (were |was )?mixed\b|\b(ink|compound|resin|paint|glue|adhesive|lacquer|wax|oil|paste|sealant|flux|consumables?)\b[^.;,]{0,20}\b(expired|out of date|past (its |the )?(shelf[- ]life|expiry|use-by))\b|(油墨|抛光膏|树脂|油漆|胶水|胶|漆|蜡|助焊剂|焊剂|清洗剂|材料|原料)[^。，,;；]{0,6}(过期|超过保质期)|(气瓶|氩气|二氧化碳|co2|保护气)[^。，,;；]{0,8}(快空|空了|快用完|用完了|不足|快没|没气)|(换瓶|换气瓶|换气)[^。，,;；]{0,8}(拖|晚了|延误|延迟|没换)|(没|未)(有)?(及时)?(换|更换)(气)?瓶|(气瓶|氩气瓶|瓶)[^。，,;；]{0,6}(快)?(到底|见底)|(油|原料|料|胶|漆|砂|粉)[^。，,;；]{0,4}(水分|含水量?|杂质)[^。，,;；]{0,4}(高|超标|偏高|过高)/gu,
  measurement:
    /\b(gauge|gage|tester|calibrat\w*|reads (high|low)|sampling (plan|frequency)|not measured|wrong (limit|spec) on|(calibration|cal) (overdue|expired|lapsed|out of date))\b|量具|校准|测试仪|读数偏|塞规|对刀规|样规|(从来)?(没|没有|未)(校|校过|校准|标定)|抽样频次|(校验|校准|标定)[^。，,;；]{0,4}(过期|超期|逾期|到期|未做|没做)|角度规|量规|检具|卡尺|千分尺|硬度计|失准|(摔|掉)(过|到地上|在地上)|读数偏(大|小|高|低)|(拿|用)错[^。，,;；]{0,4}(杯|量具|卡尺|规|表|仪)/gu,
  environment:
    /\bheat ?waves?\b|(空调|除湿机|抽湿机)[^。，,;；]{0,8}(坏|停|故障|不制冷|没开|关了)|漏雨|渗雨|雨水(渗|漏|进)|\bdehumidifier\b[^.;,]{0,20}\b(broke|broken|down|failed|off|tripped)\b|\b(in|under) (the )?(direct )?(sun|sunlight)\b|\bsun-?(bleach\w*|faded|yellowed)\b|\b(uv|ultraviolet) (exposure|light|from the sun)\b|\b(wind|gusts?) (blew|blowing|blows|carried|carries)\b|热浪|阳光直射|太阳直晒|(直|暴|日)晒|晒(黄|褪色|坏)|紫外线|刮[^。，,;；]{0,2}风|风把[^。，,;；]{0,12}吹|高温天|\boutdoor( temperature| temp)?\s*(is |was |of |at )?\d+\s*°?\s*c\b|室外(温度)?\s*\d+|\b(humid\w*(?![- ](test|cabinet|chamber|exposure))|%\s*rh|cold snap|rain\w*|typhoon|damp|wet|(?<!(shot[- ]?blast(ing)?|blast(ing)?|sanding) )dust\w*|roof leak\w*|leak\w* (in the |from the )?roof|roof\b[^.;]{0,30}\bleak\w*|weather|summer|winter|condensation|ambient|shop temp\w*|hall temp\w*|air ?con(ditioning)?( was)? (down|off|broken|out)|(\bac\b|\ba\/c\b|aircon|air ?con(ditioning)?|hvac)[^.;]{0,30}\b(down|off|broken|out|not working|failed)\b|(room|hall|shop|workshop|booth) (temperature |temp )?(at|of|is at|hit|reached) \d+(-\d+)?\s*°?\s*c\b|(room|hall|shop|workshop|booth|warehouse|area) (hit|reached|was at) \d+\s*°?\s*c)\b|\b(cold|freezing|unheated) (workshop|shop|hall|floor|morning)\b|\bno heating\b|湿度|潮湿|回南天|天气|下雨|车间温度|车间[^。，,;；]{0,8}(太冷|很冷|只有\s*\d+|才\s*\d+|没(有)?暖气)|太冷|没(有)?暖气|灰尘|结露|\b(runs?|ran|puts?|washe[sd]|washing|goes|went|used|through) (it |them |the \w+ )?(in|through|into) the dishwasher\b|\b(soaked|soaking|left (wet|in water|in the sink))\b|\bin the sink overnight\b|(用|进|放进?)洗碗机|洗碗机洗|泡在水|泡了一夜|浸泡过夜/gu,
};

/** Consumables of the process: abrasives, polishing compound, filler wire, shielding gas. */
const CONSUMABLE =
  '(belts?|wheels?|discs?|stones?|grit|compound|wire|gas|bottles?|cylinders?|consumables?|砂轮|砂带|磨轮|油石|抛光轮|布轮|抛光膏|抛光蜡|焊丝|气瓶|保护气|耗材)';

/** Stock moulded or melted into the product: resin, pellets, powder (胶木粉, 塑料粒子). */
const MATERIAL_STOCK =
  '(resin|pellets|granules|moulding powder|molding powder|nylon|pom|pp|abs|胶木粉|粉料|原料|原材料|塑料粒子|粒料|树脂|新料|尼龙)';

/**
 * A consumable of the wrong kind issued or fitted (a belt of another grit, a cylinder of the wrong
 * gas mix, 砂轮粒度用错): the material branch, whatever machine it was fitted to.
 */
const WRONG_CONSUMABLE = new RegExp(
  [
    `\\b(wrong|mislabell?ed|mixed[- ]up)\\b[^.;]{0,30}\\b${CONSUMABLE}`,
    // A grit other than the one it should be, or a box whose label is not what is inside it.
    '\\b(p|#)?\\d{2,4}\\s*grit\\b[^.;]{0,60}\\bshould (be|have been)\\s*(p|#)?\\d{2,4}\\b',
    '\\b(box|carton|pack|bag|case)\\b[^.;]{0,20}\\b(labell?ed|labled|marked)\\b[^.;]{0,40}\\b(inside|in it|in the box)\\b',
    '\\bmis-?lab(e)?ll?ed (box|carton|pack|bag|case|lot)\\b',
    // A consumable of one grit packed in the box of another ("120 grit belt in 240 box").
    '\\b(p|#)?\\d{2,4}\\s*grit\\b[^.;]{0,20}\\bin (a |the )?(p|#)?\\d{2,4}\\s*(grit )?(box|carton|pack|bag)\\b',
    // …but not a frequency ("the wheel is dressed once per shift instead of every 200 pcs").
    `\\b${CONSUMABLE}\\b[^.;]{0,60}\\binstead of\\b(?!\\s+(every|each|once|twice|after|before|at)\\b)`,
    `\\b${CONSUMABLE}\\b[^.;]{0,40}\\b(where|when|but) the (router|wi|sop|card|spec|drawing|work instruction) (says|said|calls for|requires|specifies)\\b`,
    // A grit fitted other than the one the instruction names ("P60 was fitted, WI says P120").
    '\\b(p|#)\\d{2,4}\\b[^.;]{0,30}\\b(wi|sop|spec|work instruction|router|card)\\s+(says|said|calls for|requires|specifies)\\s+(p|#)\\d{2,4}\\b',
    `${CONSUMABLE}[^。，,;；]{0,8}(粒度)?[^。，,;；]{0,4}(用错|装错|拿错|拿成|领错|不对|错了|搞错)`,
    '粒度(不对|用错|错了|搞错)',
    `(用错|装错|拿错|领错|发错)了?[^。，,;；]{0,4}${CONSUMABLE}`,
    '(发错|领错|用错|拿错)了?料|错料|(领料|发料|备料)(错误|错了|出错)',
    // A grit other than the one the instruction names, written side by side ("#400 (WI #800)").
    '(p|#)\\d{2,4}[^。.;；]{0,6}[（(]\\s*(作业指导书|wi|sop|work instruction|要求|标准|规定|spec)\\s*[:：]?\\s*(p|#)\\d{2,4}',
    // The consumable ran out and another was used ("the 240 ran out", 砂带用完了).
    `\\b${CONSUMABLE}\\b[^.;]{0,20}\\b(ran out|run out|out of stock|used up)\\b`,
    '\\b(the )?(p|#)?\\d{2,4}( grit)?( belts?| wheels?| discs?)? (ran out|run out|was out|were out|was out of stock)\\b',
    // An abrasive of another grit fitted in its place ("a P80 belt fitted in place of the P320", 改用 #80).
    '\\b(p|#)\\d{2,4}\\b[^.;]{0,20}\\binstead of\\b',
    '(临时|暂时)?(换成|改用|换用|用了)\\s*(p|#)\\d{2,4}',
    '\\bwrong (grade|material|steel|resin|alloy|wire|part number|rivets?|screws?|pins?|fasteners?|components?|parts?)\\b[^.;]{0,30}\\b(issued|from (the )?stores?|from (the )?warehouse|delivered|supplied|drawn)\\b',
    // Out of stock, and a substitute used or issued (240# 缺货, 120# 代用, 仓库发了 120#).
    `${CONSUMABLE}[^。，,;；]{0,8}(缺货|断货|没货|用完了?)`,
    '(p|#)?\\d{2,4}#?\\s*(belts?|wheels?|discs?|砂带|砂轮|磨轮)?\\s*(缺货|断货|没货|用完了?)',
    `(代用|替代|代替|顶替)[^。，,;；]{0,6}${CONSUMABLE}|${CONSUMABLE}[^。，,;；]{0,2}(代用|替代)|(p|#)?\\d{2,4}#?\\s*代用`,
    '(仓库|库房|物料员|发料)[^。，,;；]{0,4}(发错|给错|拿错|发了|给了)',
    '(实际|其实)(装|用|发)的是\\s*(p|#)?\\d{2,4}',
    `\\b(stores|warehouse|stockroom)\\b[^.;]{0,30}\\b(issued|handed out|gave|sent)\\b[^.;]{0,40}\\b(without (checking|verif\\w*)|wrong|instead)\\b`,
    `\\b${CONSUMABLE}\\b[^.;]{0,40}\\b(are|were|is|was) (pure|straight|100 ?%)\\s+(co2|argon|ar)\\b`,
  ].join('|'),
  'u',
);

/**
 * A consumable spoiled before use (damp filler wire, a contaminated compound, 焊丝返潮): the
 * material branch, though the words for its state are those of the environment.
 */
const SPOILED_CONSUMABLE = new RegExp(
  [
    `${CONSUMABLE}[^。，,;；]{0,6}(受潮|潮湿|返潮|生锈|锈了|污染|脏了)`,
    `\\b(damp|wet|moist|rusty|contaminated|dirty|oily)\\s+(filler\\s+|welding\\s+)?${CONSUMABLE}`,
    `\\b${CONSUMABLE}\\b[^.;]{0,50}\\b(was|were|got|had got|had become|became)\\s+(damp|wet|moist|rusty|contaminated|dirty)\\b`,
    `\\b${CONSUMABLE}\\s+(damp|wet|moist|rusty|contaminated)\\b`,
    `${MATERIAL_STOCK}[^。，,;；]{0,6}(受潮|潮湿|返潮)`,
    `\\b(damp|wet|moist)\\s+${MATERIAL_STOCK}|\\b${MATERIAL_STOCK}\\b[^.;]{0,30}\\b(damp|wet|moist)\\b`,
    `${MATERIAL_STOCK}[^。，,;；]{0,8}(没(有)?烘干|未烘干|没(有)?干燥|未干燥)`,
    `\\b(undried|not (pre-?)?dried) ${MATERIAL_STOCK}\\b|\\b${MATERIAL_STOCK}\\b[^.;]{0,20}\\b(was |were )?(not|never) (pre-?)?dried\\b`,
  ].join('|'),
  'u',
);

/** A consumable changed part-way through (a new gas cylinder, another spool of wire): the material branch. */
const CONSUMABLE_CHANGED =
  /\b(swapped|changed|replaced|new|fresh) (the |a )?((gas |argon |co2 )(bottles?|cylinders?)|bottles?|wire spools?|spools? of wire|wire reels?)\b|\b(supplier|vendor|moulder|molder|mill|they)\b[^.;]{0,20}\bchanged\b[^.;]{0,30}\b(grade|formulation|recipe|resin|masterbatch|alloy|compound|additive|stabili[sz]er)\b|\b(\d{2,4}|belts?|wheels?|discs?|stones?|grit|compound|wire|rivets?|resin|ink|gas|argon)\b[^.;,]{0,20}\b(out of stock|none in stock|no stock)\b|(砂带|砂轮|布轮|焊丝|铆钉|油墨|原料|抛光膏|抛光蜡|气体|氩气)[^。，,;；]{0,6}(缺货|没货|断货)|\b(switched|changed|moved|went) (over )?to (a |the )?new\b[^.;,]{0,25}\b(lot|batch|grade|heat|coil|supplier|vendor|brand)\b|\b((gas |argon |co2 )(bottles?|cylinders?)|bottles?|wire spools?) (was |were )?(just )?(swapped|changed|replaced)\b|(换|更换)了?(新的?)?(气瓶|焊丝|一瓶气|一卷焊丝)|(抛光蜡|抛光膏|砂带|砂轮|焊丝|油墨|色母)[^。，,;；]{0,3}(换了|更换了|换成)(一|新)?(批|的|牌子|厂家)?/u;

/**
 * An instrument that failed or reads wrong (a stuck pressure gauge, a drifting thermocouple):
 * the measurement branch, though the words for its failure are those of a machine.
 */
const FAILED_INSTRUMENT =
  /\breads? (roughly |about |around |approx\w* |some |~)?\d+(\.\d+)?\s*(%|percent|mm|°\s*c|°|℃|c|n·?m|hrc) (too )?(high|low)\b|\breference (block|gauge|standard|weight)\b[^.;]{0,30}\bmeasured on\b|(扳手|扭力|量具|卡尺|仪)[^。；]{0,30}实际[^。；]{0,12}(就响|偏低|偏高|只有)|实际[^。；，]{0,12}就响|\bclick(s|ed)? (already )?at (only )?\d+(\.\d+)?\s*n·?m\b|(没有|未)重新(标定|校准|校验)|\b(on|against)\s+(a\s+|the\s+)?\d+(\.\d+)?\s*(mm\s+|deg\s+|°\s*|hrc\s+|um\s+|µm\s+|μm\s+)?(gauge|setting|reference|ref|standard|check|master|roughness)\s*(block|master|ring|piece|specimen|standard)s?\b[^.;\n]{0,12}\breads?\s+\d|(标准块|量块|校准块|标块)[^。；\n]{0,12}(读数|显示|测得|读)\s*[:：]?\s*\d|\b(gauges?|gages?|meters?|ammeters?|voltmeters?|flow ?meters?|timers?|thermocouples?|tcs?|pyrometers?|indicators?|calipers?|micrometers?|testers?|probes?|sensors?|templates?|overlays?|stylus|styli|stylus tips?)\b[^.;]{0,50}\b(broken|broke|faulty|stuck|dead|failed|worn|drift\w*|(reads?|reading) ((about|around|approx\w*|some|~)\s*)?(~?\d+(\.\d+)?\s*(°\s*c|℃|c|pts?|points?|hrc|°)?\s+)?(high|low)|reading (high|low)|wrong)\b|(压力表|温度表|仪表|温控表|热电偶|卡尺|千分尺|硬度计|测试仪|表头|电流表|电压表|流量计|流量表|温度计|计时器|转速表|高度规|检具|量具|测头|量角器|变送器|试剂盒|指示剂)[^。，,;；]{0,10}(坏了|损坏|故障|失灵|卡住|不动|漂移|不准|偏差|老化|磨损|过期)|(机台|设备|仪表|表头|屏幕)?显示(值)?(偏高|偏低|比实际(高|低)|不准)|\b(display|readout|panel)s?\b[^.;]{0,20}\b(reads?|reading|shows?|showed)\b[^.;]{0,20}\b(high|low)\b|\b(display|readout|panel|controller|gauge)s?\b[^.;]{0,20}\b(reads?|reading|shows?|showed)\b[^.;]{0,25}\b(below|above|under|over) (the|what|its) (actual|real|true|mould|mold|part|oven|furnace|bath|tool|metal|surface|reference)\b|\b(logger|reference probe|surface probe|reference thermometer|calibrated (probe|thermometer|meter|gauge))\b[^.;]{0,40}\breads?\b[^.;]{0,25}\bwith the (display|controller|panel|readout|gauge) (at|on|showing)\b/u;

/**
 * An instrument replaced or moved just before the defect (a change point: "the furnace thermocouple
 * was replaced yesterday", 热电偶更换了): the measurement branch, like one that failed.
 */
const CHANGED_INSTRUMENT =
  /\b(gauges?|gages?|thermocouples?|tcs?|pyrometers?|probes?|sensors?|load cells?)\b[^.;]{0,25}\b(replaced|changed|swapped|moved|relocated|re-?installed|installed|new|slipped|displaced|came loose|come loose|fallen out|fell out|pushed (back|out)|pulled (back|out)|wired (as|to|wrong|wrongly|the wrong)|mis-?wired)\b|\b(new|replaced|replacement|swapped|relocated) (\w+ )?(gauges?|gages?|thermocouples?|tcs?|pyrometers?|probes?|sensors?|load cells?)\b|(热电偶|传感器|探头|测温|压力表)[^。，,;；]{0,6}(更换|换了|换过|新换|移位|挪|松脱|脱落|滑出)/u;

/** An instrument read on its reference block or master: "R-5 on the 55.0 ref block 57.6", "on the 1.00 mm reference block: reads -1.00". */
const ON_THE_REFERENCE =
  /\b(?:on|against)\s+(?:a\s+|the\s+)?(\d+(?:\.\d+)?)\s*(?:mm\s+|deg\s+|°\s*|hrc\s+)?(?:gauge|setting|reference|ref|standard|check|master)\s*(?:block|master|ring|piece)s?\b[^.;\n\d-]{0,12}?(?:reads?\s+|[:：]?\s*)(-?\d+(?:\.\d+)?)/u;

/** An instrument read on a master whose value is in brackets: "on the master blade (certified 0.08 mm): reads 0.02". */
const ON_A_CERTIFIED_MASTER =
  /\bon (?:the |a )?(?:master|reference|ref|calibration|certified|standard)\b[^:：\n\d]{0,30}?\b(?:certified|nominal|true|known)\s*(-?\d+(?:\.\d+)?)[^\d\n]{0,30}?\b(?:reads?|shows?|gives?|measures?)\s*[:：]?\s*(-?\d+(?:\.\d+)?)/u;

/** A reference length read on a template or chart: "the 100 mm reference line on the chart measures 98.0 mm". */
const REFERENCE_LENGTH_MEASURED =
  /\b(\d+(?:\.\d+)?)\s*(?:mm|°)?\s*(?:reference|ref|master|scale|nominal)\s+(?:line|mark|length|block|gauge|bar)\b[^.;\n]{0,30}\b(?:measures?|measured|reads?)\s+(\d+(?:\.\d+)?)/u;

/**
 * What an instrument's display shows against what an independent reading finds: "控制器显示180 °C时，
 * 实际只有136 °C", "clamp meter 实测 5.6 A 的时候 panel 显示 8 A", "the display shows 52, actual 31".
 */
const DISPLAY_THEN_ACTUAL =
  /(?:显示|\bdisplay(?:s|ed)?|\bshows?|\bshowed)\s*(?:值)?\s*[:：]?\s*(\d+(?:\.\d+)?)[^。；;\n\d]{0,16}(?:实际|实测|\bactual(?:ly)?|\bmeasured)\s*(?:只有|仅|才|为|是|\bonly|\bis|\bwas)?\s*(\d+(?:\.\d+)?)/u;
/** The same the other way round: the independent reading first, then what the display shows. */
const ACTUAL_THEN_DISPLAY =
  /(?:实际|实测|\bactual(?:ly)?|\bmeasured|clamp[- ]?meter)[^。；;\n\d]{0,12}(\d+(?:\.\d+)?)[^。；;\n]{0,20}?(?:panel|display|readout|面板|屏幕|仪表)\s*(?:显示|shows?|reads?|showed)\s*[:：]?\s*(\d+(?:\.\d+)?)/u;

/**
 * Whether an instrument checked on its reference, or its display against an independent reading,
 * reads more than 1 % off (2 % for a display against the actual value).
 */
function referenceReadsOff(sentence: string): boolean {
  const onTheReference =
    ON_THE_REFERENCE.exec(sentence) ??
    ON_A_CERTIFIED_MASTER.exec(sentence) ??
    REFERENCE_LENGTH_MEASURED.exec(sentence);
  if (onTheReference) {
    const [reference, reading] = [Number(onTheReference[1]), Number(onTheReference[2])];
    return Math.abs(reading - reference) > Math.abs(reference) * 0.01;
  }
  const display = DISPLAY_THEN_ACTUAL.exec(sentence);
  const actual = ACTUAL_THEN_DISPLAY.exec(sentence);
  const [shown, measured] = display
    ? [Number(display[1]), Number(display[2])]
    : actual
      ? [Number(actual[2]), Number(actual[1])]
      : [Number.NaN, Number.NaN];
  return measured > 0 && Math.abs(shown - measured) > 0.02 * measured;
}

/** An instrument that reads wrong, not one that broke: "thermocouple 3 off by 20 °C against the master", "the gauge reads 0.05 low". */
const INSTRUMENT_READS_WRONG =
  /\b(tc|thermocouples?|gauges?|testers?|probes?|sensors?|meters?)\b[^.;]{0,30}\breads?\b[^.;]{0,40}\b(independent|reference|master|handheld|hand-held|calibrated|lab)\s+(probe|gauge|tester|thermocouple|tc|meter|instrument)|\b(gauges?|gages?|meters?|thermocouples?|tcs?|pyrometers?|calipers?|micrometers?|testers?|probes?|sensors?|protractors?|transmitters?|check fixtures?|titration kits?|test kits?|immersion tips?|dip tips?)\b[^.;]{0,50}\b(drift\w*|(reads?|reading) ((about|around|approx\w*|some|~)\s*)?(~?\d+(\.\d+)?\s*(°\s*c|℃|c|pts?|points?|hrc|°)?\s+)?(high|low)|reading (high|low))\b|(热电偶|仪表|测温|探头|硬度计|卡尺|传感器|温控表)[^。，,;；]{0,10}(漂移|偏高|偏低|不准)|(热电偶|仪表|探头|传感器|温控表|高度规|检具|量具|测头|卡尺|硬度计|量角器|变送器|试剂盒|指示剂)[^。；]{0,30}(读数|读)[^。；]{0,6}(比实际|偏)(低|高|小|大)|(高度规|检具|量具|测头|卡尺|硬度计|量角器|试剂盒|指示剂)[^。；]{0,40}(一直|总是)?读(数)?(偏)?(高|低)|\b(calipers?|micrometers?|gauges?|gages?|meters?|testers?|sensors?|refractometers?|thermometers?)\b[^.;]{0,40}\breads?\s+(\d+(\.\d+)?\s*(mm|µm|um|°|hrc|n|%)?\s+)?(short|long|over|under|wrong|false)\b|\b(control(ler)?|controlling|furnace|oven|zone \d+)\s+(tc|thermocouple|probe|display)\b[^.;\n]{0,50}\b(survey|reference|independent|master|calibrated|new)\s+(tc|thermocouple|probe|meter)\b|(控温|控制)\s*(tc|热电偶|仪表)[^。；\n]{0,30}(survey|校验|标准|新|参考)\s*(tc|热电偶|探头)|(tc|热电偶)[^。；]{0,12}比[^。；]{0,10}(读|显示)[^。；]{0,2}(低|高)/u;

/** An instrument past its calibration: "calibration expired", "cal overdue", "no calibration sticker", 校准过期. */
const CALIBRATION_LAPSED =
  /\b(calibration|calibrated|cal)\b[^.;]{0,30}\b(overdue|expired|lapsed|out of date|past (its )?due)\b|\b(calibration|cal)\b[^.;。；]{0,8}(过期|超期|逾期)|\bno (valid |current )?(calibration|cal) (sticker|label|tag|record|cert\w*)|\bout of cal(ibration)?\b|\b(calibration|cal) (was )?due (\d{4}|\d{1,2}\/\d{2,4}|last)\b|(校准|校验|标定)[^。；]{0,8}(过期|超期|逾期)|(过期|超期|逾期)[^。；]{0,4}(未|没有?)(校准|校验|标定)|(未|没有?)(按期)?(校准|校验|标定)/u;

/** A word of calibration: "calibrated", "cal", 校准, 校验, 标定. */
const CALIBRATION_WORD = /calibrat|\bcal\b|校准|校验|标定/u;

/** An instrument said to be in calibration: "angle gauge calibrated last month", "卡尺上月刚校准". */
const IN_CALIBRATION =
  /\b(gauges?|gages?|calipers?|micrometers?|testers?|instruments?|meters?|thermocouples?|tcs?|probes?|sensors?|scales?|cmm)\b[^,.;]{0,20}\b(?<!\b(not|never)\s)(re-?)?calibrated (last|this|in the last) (week|month|year|shift|quarter)\b|\b(gauges?|gages?|calipers?|micrometers?|testers?|instruments?|meters?|thermocouples?|tcs?|probes?|sensors?|scales?|cmm)\b[^,.;]{0,20}\b(?<!\b(not|never)\s)(re-?)?calibrated (\d+ (days?|weeks?|months?) ago|on \d)|(量具|卡尺|千分尺|硬度计|检具|仪器|仪表|热电偶)[^，。；]{0,6}(上个?月|上周|本月|本周|近期)(刚)?(校准|校验)(过|合格)?/u;

/** When an instrument was last calibrated and its interval, in the same unit: "last cal: 14 months (interval 6)". */
const CALIBRATED_AGO =
  /\b(tc|thermocouple|gauge|gage|caliper|micrometer|tester|meter|probe|sensor|scale|pyrometer)s?\b[^.;]{0,20}\blast (cal|calibrat\w*)\b\s*[:：]?\s*(\d+)\s*(months?|weeks?|days?)( ago)?\s*\(?\s*(interval|every|cycle)\s*[:：]?\s*(\d+)/u;

/** What the equipment actually ran at, against its own setting: "实际温度比设定低40度", "actual 40 °C below the set point". */
const ACTUAL_AGAINST_THE_SETTING =
  /实际[^。，,;；]{0,10}比设定(值)?(低|高)|\d\s*(°\s*c|℃|a|v|bar|mpa|l\/min)\s*(vs\.?|versus|against)\s*(the )?(set ?point|setting|set)\s*\d|\bactual(ly)?\b[^.;,]{0,30}\b(below|above|under|over|lower than|higher than) (the )?(set ?point|setting|set value)\b/u;

/** A setting and what was measured against it in one clause: "设定 2,900 rpm 实测 1,760 rpm", "set 180 °C, actual 152". */
const SETTING_THEN_ACTUAL =
  /(?:设定(?:值)?|\bset(?:point)?)\s*[:：=]?\s*(\d[\d,]*(?:\.\d+)?)\s*[^\d，,。;；]{0,8}[，,]?\s*(?:实测|实际|\bactual|\bmeasured)(?:值)?\s*[:：=]?\s*(\d[\d,]*(?:\.\d+)?)/gu;

/** Whether a clause measures the equipment delivering more than 2 % off what it was set to. */
function actualOffItsSetting(clause: string): boolean {
  return [...clause.matchAll(SETTING_THEN_ACTUAL)].some((match) => {
    const [set, actual] = [Number(match[1]!.replace(/,/gu, '')), Number(match[2]!.replace(/,/gu, ''))];
    return set > 0 && Math.abs(actual - set) > 0.02 * set;
  });
}

/** A clause whose subject is a measuring instrument: "the refractometer was dropped …", "温控表 …". */
const INSTRUMENT_SUBJECT =
  /^(the |its |our )?([a-z0-9-]+ )?(refractometer|thermometer|hygrometer|manometer|pressure gauge|gauge|gage|caliper|micrometer|tester|sensor|probe|thermocouple|load cell|(pressure |temperature |force )?transducer|dew-?point (meter|sensor))s?\b|^(折光仪|温度计|湿度计|压力表|卡尺|千分尺|硬度计|传感器|探头|热电偶|温控表)/u;

/** A measuring instrument: the thing a calibration applies to. */
const INSTRUMENT_WORD =
  /\b(gauges?|gages?|calipers?|micrometers?|testers?|meters?|ammeter|voltmeter|thermocouples?|tcs?|probes?|sensors?|load cells?|scales?|pyrometers?|cmm|instruments?)\b|量具|卡尺|千分尺|硬度计|检具|仪器|仪表|电流表|电压表|热电偶|探头|传感器|称重|秤|测温/u;

/** Whether a text names a kind of failure of one 6M branch ("changed", "skipped" for method). */
export function namesAKindOfFailureOf(category: Category6M, text: string): boolean {
  return (text.match(CAUSE_KINDS[category]) ?? []).length > 0;
}

/**
 * Whether a cause names a kind of failure (worn, changed, forgot, a fresh batch, calibration, humid),
 * not only a place or a piece of equipment: such a cause says more about its 6M branch.
 */
export function namesAKindOfFailure(text: string): boolean {
  return (
    Object.values(CAUSE_KINDS).some((kind) => (text.match(kind) ?? []).length > 0) ||
    WRONG_CONSUMABLE.test(text) ||
    GAS_SUPPLY_SHORT.test(text) ||
    CONSUMABLE_CHANGED.test(text) ||
    FAILED_INSTRUMENT.test(text) ||
    CHANGED_INSTRUMENT.test(text) ||
    STEP_AGAINST_ITS_INSTRUCTION.test(text.trim()) ||
    INSTRUCTION_GAP.test(text) ||
    NEIGHBOURING_WORK.test(text)
  );
}

/** Who passed a cause on ("the welder says", "operator reports", 班长说): the cause is what they said. */
const REPORTED_BY =
  /^(the |our |a )?(welder|operator|setter|setup technician|line lead|shift lead|technician|worker|inspector|supervisor|maintenance|engineer)s?\s+(says?|said|reports?|reported|thinks?|thought|mentioned|tell|told( us)?|noticed)\s+(that\s+)?|^(焊工|操作工|操作员|班长|技术员|工人|师傅|维修)(说|反映|讲|称)/u;

function machineWords(text: string): number {
  return CAUSE_CATEGORY_MATCHERS.find(([category]) => category === 'machine')?.[1].find(text).length ?? 0;
}

/**
 * What a change was meant to cure ("raised to 8 bar to fix loose rivets"): the problem it answered,
 * not a kind of failure of the change itself.
 */
const PURPOSE =
  /\s+(in order )?to (fix|cure|stop|solve|remove|get rid of|prevent|avoid|eliminate|correct|compensate for|make up for)\b.*$|[,，]?\s*(为了|以便)(解决|消除|防止|避免|改善|处理)[^。；;]*$/u;

/**
 * A supply of process gas running short (a cylinder nearly empty, a tank level low, a delivery that
 * did not come, 备用瓶未到): the consumable, the material branch.
 */
const GAS_SUPPLY_SHORT =
  /\b(cylinders?|bottles?|tanks?|dewars?)\b[^.;,]{0,30}\b(nearly empty|empty|ran out|run out|running (low|out)|low|level|at \d+(\.\d+)?\s*(bar|psi|mpa|%))|\b(gas|argon|nitrogen|n2|co2|lin)\b[^.;,]{0,30}\b(delivery|truck|supplier)\b[^.;,]{0,30}\b(late|delayed|moved|missed|did not come|not come|not arrive|not arrived)|(气瓶|瓶|储罐|液氮罐|罐)[^。；，,]{0,6}(level|液位|压力|余量|不足|用完|空了|快空|偏低|见底|到底)|(备用瓶|气瓶|液氮|氮气|氩气)[^。；，,]{0,8}(未到|没到|晚了|延迟|没送|断供|用完)/u;

function categoryOf(reported: string): Category6M | null {
  const text = reported
    .replace(REPORTED_BY, '')
    .replace(PURPOSE, '')
    // "carbon steel wok", "不锈钢汤锅": the product's steel names the product, not a cause.
    .replace(PRODUCT_STEEL, ' ')
    // The fan inside a furnace or an oven is a part of the machine, not a draught on the shop floor.
    .replace(/(循环|冷却|炉内|炉顶|对流)风扇|风扇(电机|马达)/gu, '风机');
  if (WRONG_CONSUMABLE.test(text) || GAS_SUPPLY_SHORT.test(text)) return 'material';
  // Spoiled stock is material, unless the clause names the machine failure that spoiled it
  // ("moulding compound wet because the hopper heater failed").
  if (SPOILED_CONSUMABLE.test(text))
    return (text.match(CAUSE_KINDS.machine) ?? []).length > 0 ? 'machine' : 'material';
  // A consumable changed, unless a piece of equipment changed with it ("the flow meter was replaced
  // together with the cylinder") is what the clause is about.
  if (CONSUMABLE_CHANGED.test(text) && machineWords(text) === 0) return 'material';
  if (FAILED_INSTRUMENT.test(text) || CHANGED_INSTRUMENT.test(text)) return 'measurement';
  // Works or a machine brought in beside the line ("the new press installed next to GL-5", "the
  // contractor breaking out the floor next to the line"): the line's surroundings changed.
  if (NEIGHBOURING_WORK.test(text)) return 'environment';
  // What an instruction asks for or leaves out ("the WI after die sharpening asks for a shut-height
  // check only", "it does not require a first-article check", 作业指导书没有规定装炉量): the
  // method, whatever machine it names.
  if (INSTRUCTION_GAP.test(text)) return 'method';
  // A kind of failure weighs twice a noun, and breaks a tie with nouns ("not enough clamp force at
  // the press": the force is what failed, not the press).
  const scores = CAUSE_CATEGORY_MATCHERS.map(([category, matcher]) => {
    const kinds = (text.match(CAUSE_KINDS[category]) ?? []).length;
    return [category, matcher.find(text).length + 2 * kinds + 0.5 * Math.min(kinds, 1)] as const;
  }).sort((left, right) => right[1] - left[1]);
  return scores[0] && scores[0][1] > 0 && scores[0][1] > (scores[1]?.[1] ?? 0) ? scores[0][0] : null;
}

/** An instruction that asks too little or leaves a requirement out: "the WI only says", "does not require a check". */
const INSTRUCTION_GAP =
  /^(the |our |its |their )?(wi|sop|work instructions?|procedure|control plan|check ?list|pm card|setup sheet|instructions?)\b[^.;]{0,60}\b(only|does not|doesn't|did not|didn't|has no|gives no|says nothing|lacks?|without|no longer)\b|^(it|they|this|the (wi|sop|procedure|instruction))\s+(does|do|did)\s*(not|n't)\s+(require|ask for|call for|include|specify|mention|cover)\b[^.;]{0,40}\b(check|test|inspection|verification|approval|measurement|limit|maximum|minimum)\b|(作业指导书|作业指导|工艺卡|点检表|控制计划|\bsop\b|\bwi\b)[^。；，]{0,20}(没有|未|只|不)(规定|要求|写|包括|包含|提到|说明)/u;

/** Works or equipment put beside the line: "installed next to", "contractor … next to the line", 装在…旁边. */
const NEIGHBOURING_WORK =
  /\b(installed|moved in|set up|put in|contractors?|construction|breaking out|drilling|demolition|building works?)\b[^.;]{0,50}\b(next to|beside|near|alongside|adjacent to)\b|\b(next to|beside|alongside|adjacent to)\b[^.;]{0,30}\b(was|were|got|being)\s+(installed|set up|moved in|built)\b|(装在|搬到|安装在|放在|施工)[^。；]{0,12}(旁边|隔壁|附近)|(旁边|隔壁|附近)[^。；]{0,8}(在施工|施工|新装|装了|安装)|(旁边|隔壁|附近|边上)[^。；，]{0,8}(用角磨机|角磨|切割|切|打磨|磨|焊接|焊|喷砂|抛丸)|\b(next to|beside|near|alongside)\b[^.;]{0,30}\b(grinding|cutting|welding|shot[- ]?blast\w*|sand[- ]?blast\w*)\b|(地上|地面|机器上|设备上|空气中)[^。；，]{0,10}(钢砂|铁屑|铁粉|砂粒|粉尘|灰尘)/u;

/** A steel named as what a product is made of: "carbon steel wok", "stainless steel pots", "碳钢炒锅". */
const PRODUCT_STEEL =
  /\b((carbon|stainless|tri-?ply|clad|high-carbon)\s+)?steel\s+(woks?|pans?|pots?|lids?|kettles?|knives|knife|blades?|scissors|shears|skillets?|saucepans?|steamers?)\b|(碳钢|不锈钢|钢)(炒锅|锅|汤锅|煎锅|蒸锅|刀|剪刀|锅盖|水壶)/gu;

/** A dryer, which the glossary puts at moulding (the resin dryer). */
export const DRYER = /^(dryer|drier|烘干机|干燥机)$/u;

/**
 * Whether the dryer a text names is the one after washing, not the resin dryer of moulding: the
 * text speaks of washing or water marks and of no resin, pellets or mould.
 */
export function washLineDryer(text: string): boolean {
  return (
    /\b(wash\w*|rinse\w*|water (spots?|marks?|stains?))\b|清洗|漂洗|水渍|水印|水痕/iu.test(text) &&
    !/\b(resin|pellets?|granules?|moulding|molding|injection|masterbatch)\b|注塑|粒料|原料|树脂|色母/iu.test(
      text,
    )
  );
}

function stagesOf(text: string): ProductionStage[] {
  return STAGE_MATCHERS.filter(
    ([code, matcher]) =>
      (PRODUCTION_STAGES as readonly string[]).includes(code) &&
      matcher
        .find(text)
        .filter((hit) => !(code === 'handle_injection' && washLineDryer(text) && DRYER.test(hit.term)))
        .length > 0,
  ).map(([code]) => code as ProductionStage);
}

/** A part of the product: a clause about it describes the finding, not the process. */
const PART_OF_THE_PRODUCT =
  /\b(scales?|tangs?|handles?|blades?|rivets?|edges?|tips?|bolsters?|pivots?|spines?|knives|knife|pans?|woks?|pots?|lids?|pairs?|shears|scissors)\b|刀|柄|锅|铆钉|刃|剪/u;

/** Stated causes: the text after a cause marker ("due to", "because", 由于), and conditions of the shop that are out of the normal. */
/**
 * Clauses that are not a cause even when they hold a cause word: what a customer says happened,
 * the reaction plan an SOP sets (lots above 2 % go to scrap), where an incoming lot came from, and
 * the date a count runs from ("since the seal was last changed").
 */
const NOT_A_CAUSE =
  /^[—–]\s*\S|\b(is |was |are |were )?not (caused by|due to|because of|the result of)\b|(不是|并非)(由于|因为)|\bfailed (at|in|during) (our |the |your )?(assembly|incoming( inspection)?|inspection|iqc|fqc|oqc|final (inspection|audit)|drop test|(salt[- ]spray |drop |pull |torque )?test(ing)?)\s*$|\b(checked |measured |verified )?(on|with) (our |a |the )?calibrated (testers?|gauges?|meters?|instruments?|scales?|calipers?|micrometers?|torque (testers?|meters?))\s*$|\b(put|ran|run|tried|fitted|mounted|loaded|swapped)\b[^.;,]{0,40}\b(back )?on the same (wheel|machine|line|press|furnace|station|grinder|bench)\b|^(all |they are |they run |running )?(in|along|with|following) the ([a-z-]+ ){0,2}direction\b|(方向一致|顺着[^，。；]{0,6}方向)|^since (the )?[a-z0-9 -]{1,30} (was|were) (last )?(changed|replaced|serviced|fitted|installed)\b|\b(blocked|quarantined|held|on hold|isolated|segregated) (in|at) (the )?(stores|warehouse|wh|stock|qc area|quarantine( area)?|iqc|oqc|fqc|receiving|goods-in|incoming|wip( area)?|fg|finished goods|packing)\b|\b(ipqc|fqc|oqc|iqc|qc|qa)\s*(报|发现|反馈)|本身(没坏|没有坏|未坏|没磨损|没有磨损|未磨损|正常|没问题|没有问题)|显示[^，。；]{0,10}正常|工艺(是|为)\s*-?\d|\b(the )?(lot|batch|parts|stock|pallets?)\b[^.;,]{0,20}\b(is|are|was|were|has been|have been)\s+(rejected|blocked|quarantined|held|isolated|on hold)\b(?![^.;,]{0,10}\b(because|due to|since|as)\b)|^(the )?(supplier|vendor|moulder|molder)('s)?\s*(8d|capa|reply|response|answer)\b|(与|和)[^，。；]{0,10}一致|\b(are|is|were|was) (all )?on the setting\b|\bmatch(es|ed)? the (card|sop|wi|setting|recipe|setup sheet)\b|\bmatch(es|ed)? the (die|tool|mould|mold)( exactly)?\s*$|本身(正常|没问题|ok|良好)|\bnot (worn|broken|damaged|faulty)\b|^no (wear|damage|cracks?|leaks?|play)\b|^(the )?(first|last)[- ]?(piece|article|off|part)s? (check|inspection|audit|approval)\b|^(the )?[a-z0-9-]+( [a-z0-9-]+)? (checked|inspected|verified)( (ok|fine|normal))?$|\bre-?test(s|ed)?\b|^来料检验|^供应商\s*8d|^供应商[^，。；]{0,12}(厂|公司)\s*$|同[^，。；]{0,6}\s*0\s*(裂|不良|ng)|^(failed|passed|fails|passes) (the |a )?([\w.-]+ ){0,3}(tests?|checks?)\b|\b(supplier|vendor) (portal|quality|qa|sqe|quality engineer|development|management|scorecard|audit team)\b|\b(reply|response|report|8d|mail|e-?mail|letter) draft\b|\b(8d|d[1-8](\s*\/\s*d[1-8])*)\b[^.;,]{0,12}\bdraft\b|^[^，。；]{0,12}供应商\s*(回复|答复)\s*(我司|贵司)?\s*[a-z0-9 -]{0,16}$|退回供应商|\bdear (supplier|vendor)\b|\b(returned|sent back|goes back|go back) to (the )?(supplier|vendor)\b|来料\s*[\d,]+\s*(只|件|个|把|pcs)|\bdraft (reply|response|report|8d|mail|e-?mail|letter)\b|^(the |our )?(recipe|wi|sop|spec|specification|procedure|work instruction|drawing|card)\s+(says|calls for|requires|specifies|is)\s+[\d<>≤≥]|\bper (the )?(sop|wi|spec|procedure)\s*$|\b(records?|itself|parts?|readings?|settings?)\b[^,.;]{0,12}\b(normal|fine|in order|as usual|in spec|within spec)\b|记录[^，。；]{0,6}((?<!不)正常|\bnormal\b)|\b(customer|user|buyer|consumer|client|caller|reviewer)s?('s)? (says|said|claims?|claimed|reports?|reported|complain\w*|writes|wrote|describes?|described)\b|(客户|顾客|用户)(说|称|反映|反馈|描述)|\b(sop|wi|spec|procedure)\b[^.]{0,30}\b(scrap|reject)\w*|(sop|wi|规定|标准)[^。]{0,12}(判定|报废)|^(incoming|iqc)\b(?![^.]{0,40}\b(worn|changed|new|supplier)\b)|\bno (material|metal|piece)s? (is |was )?(missing|gone|lost)\b|\b(incoming|receiving|goods-in) (inspection|qc|check|audit)\b(?![^.]{0,40}\b(worn|changed|new|supplier)\b)|(量具|卡尺|千分尺|硬度计|检具|仪器|仪表|热电偶|温控表|压力表|扭力计|扭力扳手|传感器|温度计)[^，。；,未没不]{0,4}(已|都)?(经)?(校准|校验)(过|合格|ok)?\s*$|\b(gauges?|calipers?|micrometers?|testers?|thermocouples?|tcs?|meters?|torque (meters?|wrench(es)?)|sensors?|probes?)\b[^,.;]{0,20}\b(?<!\b(not|never|un)\s?)(re-?)?calibrated\s+(on\s+)?\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?\s*$|(量具|卡尺|千分尺|硬度计|检具|仪器|仪表|热电偶|温控表|压力表|扭力计|扭力扳手|传感器|温度计)\s*(re-?)?calibrated\s+(on\s+)?\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?\s*$|\b(gauges?|calipers?|micrometers?|testers?|instruments?)\b[^,.;]{0,20}\b(?<!\b(not|never|un)\s?)(calibrated|in cal|within calibration|calibration (ok|valid|in date|current))\s*(ok)?\s*$/u;

/** A setting or a piece of equipment checked and found normal, or not changed: ruled out, not a cause. */
const CHECKED_NORMAL =
  /正常\s*$|(都|均|全部)?(查过|检查过|确认过?)[^。；，,]{0,6}正常|(没有?|未)(改|变|动)(过|动)?\s*$|\b(checked|found|verified)\b[^.;,]{0,20}\b(ok|fine|normal|in order|as set)\s*$|\b(is|was|were|are)\s+(all\s+)?normal(\s+for\s+(the|this|that|its|their)\s+[a-z-]+( [a-z-]+)?)?\s*$|\bunchanged\s*$|\b(as|at( the)?) (set|setting)\s*$|\b(was|were|is|are|has|have)\s+not\s+(been\s+)?changed\s*$|\b(did|do|does)\s*(not|n'?t)\s+change\s*$|\bnot\s+(been\s+)?(touched|altered|adjusted|modified)\s*$|\b(the )?same way\b[^.;,]{0,30}$/u;

/**
 * What the report finds the same as where the parts were good, or found in order ("same resin lot as
 * days", "compound lot the same", "contact probe agrees with the controller", "fixture pin OK (6.00
 * mm)", 同一批料): a candidate the comparison rules out, not the cause.
 */
const SAME_AS_THE_GOOD_PARTS =
  /^(the )?same ([a-z0-9-]+ ){0,3}(as|on|for|in)\b|^(the )?same\b[^.;,]{0,40}\bas (in |on |at |for )?(the )?[a-z0-9-]+|^[^，。；]{0,6}同样的[^，。；]{0,10}(、|，|$)|^[a-z0-9 -]{1,40}\b(is|are|was|were)\s+(the\s+)?same\s+([a-z0-9-]+\s+){0,2}(as|on)\b|^(the )?same ([a-z0-9-]+ ){0,2}[a-z0-9-]+$|\b(the )?same( as [a-z0-9 -]{1,20})?\s*$|\b(agrees?|agreed|matches|matched) with (the )?([a-z0-9-]+ ){0,2}(controller|display|reference|master|gauge|setting|card|sop|wi)\b|^(?![^,;]*\b(not|no|never|n'?t|failed|worn|broken|loose|low|high|off)\b)[^,;。；]{2,40}?\s(ok|okay)\s*([(（][^()（）]{1,20}[)）])?\s*$|^(用的)?(是)?同(一)?(批|台|个|款|种)[^，。；]{0,12}$|同一(程序|钢卷|炉|批|台|模具|砂轮|参数|配方)[^，。；]{0,8}[、,，]\s*同一/u;

/** The correction already made ("die re-set against the CMM", "模具已由班长重新对位"): the fix, not the cause. */
const CORRECTION_MADE =
  /^(修正|整改|纠正|调整|修复)后|^(the )?(die|tool|fixture|mould|mold|press|jig|nest|gauge|wheel|furnace|setting)s? (was |were |has been |have been )?(re-?set|re-?aligned|re-?adjusted|re-?centred|re-?centered|re-?positioned)\b|已(经)?由[^，。；]{1,8}(重新|修复|调整|调好|恢复)|已(经)?重新(对位|调整|设定|调好|校准|定位)/u;

/** A branch the report clears: "炉子没问题", "the press is fine", "设备无异常". */
const CLEARED_BRANCH =
  /没(有)?问题$|^(it is |it's |and )?not (a |an |the )?(bad|faulty|wrong|worn|defective|poor) [a-z-]+( [a-z-]+)?\s*$|(无|没有?)(松动|磨损|异常|损坏|变形|泄漏|漏气)\s*$|\b(as per|according to|in line with) (the )?(recipe|wi|sop|spec|card|settings?|drawing|program(me)?)\s*$|(都|均|全)(没(有)?(换过|变过|动过|变化)|未(更换|变更|改动))$|\b(unchanged|not changed)\s*$|^with the same ([a-z0-9-]+ ){0,3}(lots?|batch(es)?|settings?|wheels?|compound|material|program(me)?s?)\b|没毛病|无异常$|\b(is|are|was|were) (fine|ok|normal|not the (cause|problem))\s*$|^[a-z0-9 -]{2,30}\b(fine|ok|okay|in order)\s*$|\b(no|zero) (drift|change|leaks?|faults?|problems?|issues?|wear|damage|alarms?)\s*$|\b(inside|within|in) (the )?([a-z-]+ ){0,2}(window|range|spec|limits?|tolerance)\s*$|^(没有|没|未)(发现|见)|(呢|吗|么)\s*$|[?？]\s*$/u;

/** A line that gives the report's conclusion on the cause: "结论：", "根本原因：", "Root cause:", "Cause:". */
const CONCLUSION_LINE =
  /^\s*[-*•]?\s*(结论|根本原因|根因|真因|主因|主要原因|原因|原因分析结论|分析结论|判断|root cause|conclusion|cause|probable cause|most likely cause)\s*[:：]/iu;
/** The label of a record or of a check: "furnace log", "temper chart", 炉温记录, "checked the fixture", 复查夹具. */
const RECORD_LABEL =
  /^([a-z0-9-]+ ){0,2}(log|logs|record|records|chart|charts|history|printout|data|trend)$|^(re-?checked|checked|check of|inspected|looked at)( the)? [a-z0-9 -]{1,24}$|^[\u4e00-\u9fff]{0,6}(记录|曲线|数据)$|^(复查|检查|排查|查看|核查|查)[\u4e00-\u9fffa-z0-9 -]{1,10}$/u;

/** The words of a part that broke: "broke", "snapped", "fractured", 断裂. */
const BREAKAGE_WORD = /\b(broke|broken|snapped|fractur\w*)\b|断裂|断开|折断/u;

/** A heading of a fishbone's branch on its own ("- Material", "Machine/measurement"): a label, not a cause. */
const FISHBONE_HEADING =
  /^[-•*]?\s*(man|machine|material|method|measurement|environment|mother nature|milieu|人|机|料|法|测|环)(\s*\/\s*(man|machine|material|method|measurement|environment|人|机|料|法|测|环))*\s*$/u;

/** A line of a fishbone or a list of candidates that ends by ruling its candidate out ("… Ruled out.", "…，排除。"). */
const RULED_OUT_LINE =
  /\b(ruled out|unlikely|not the cause|not a cause|excluded|eliminated|not a factor|no effect)\s*[.。]?$|(排除|不是原因|无关)\s*[.。]?$/u;

/** A heading over the candidates the investigation cleared: "Ruled out:", "Excluded:", "已排除：". */
const RULED_OUT_HEADING =
  /^[-*•]?\s*(ruled out|excluded|eliminated|checked and (ok|cleared|fine)|not the cause|排除项?|已排除|排除的原因|不是原因)\s*[:：]\s*$/u;

/** A line of a list: a bullet or a number first ("- gas: …", "2) flow …", "• 焊丝"). */
const LIST_ITEM = /^\s*([-*•·–—]|\d{1,2}[.)、])\s*\S/u;

/** A line that opens with the first suspicion, which its checks then test: "First suspicion was …", 起初怀疑. */
const FIRST_SUSPICION =
  /^[-*•]?\s*((the |our )?first (suspicion|suspect|guess|thought)\b|(we |i )?(first |initially )(suspected|thought|blamed)\b|initially suspected\b)[^\n]{0,160}$|^(起初|最初|一开始|首先)(怀疑|以为|认为)/u;

/** A new lot or supplier of a consumable ("换了一批新的 sisal wheels", "new lot of belts"): the stock changed. */
const NEW_LOT_OF_A_CONSUMABLE =
  /(换了?|换成|新)(一)?(批|箱|卷|盒)[^。，,;；]{0,8}(新的?)?[^。，,;；]{0,12}(wheels?|belts?|砂轮|砂带|布轮|麻轮|抛光轮|抛光膏|compound|焊丝|electrodes?|钨针)|\bnew (lot|batch) of ([a-z-]+ )?(wheels?|belts?|discs?|compound|electrodes?|wire)\b/u;

/** The last item of a list and the check that clears them all: "die and gauges verified", "rails fine". */
const LIST_CLEARED =
  /^(and |or )?[a-z0-9-]+( [a-z0-9-]+)?\s*(都|均|全)(没(有)?(换过|变过|动过)|未(更换|变更|改动))\s*$|^(and |or )?[a-z0-9-]+( [a-z0-9-]+)? (all )?(unchanged|not changed)\s*$|^(and |or )?[a-z0-9-]+( [a-z0-9-]+)?( and [a-z0-9-]+( [a-z0-9-]+)?)? (all )?(checked|inspected|verified|confirmed)( (ok|okay|fine|normal|good))?\s*$|^(and |or )?[a-z0-9-]+( [a-z0-9-]+)? (are |were )?(all )?(fine|ok|okay|normal)\s*$|^(and |or )?[a-z0-9-]+( [a-z0-9-]+)?( and [a-z0-9-]+( [a-z0-9-]+)?)? (are |is |were |was )?(all )?(the )?same( on both| in both| as [a-z0-9 -]{1,20})?\s*$|^(and |or )?[a-z0-9-]+( [a-z0-9-]+)? (are |were )?(all )?(as )?(per|according to) (the )?(wi|sop|instruction|work instruction|spec)\s*$/u;

/** A check named without its result, whose result the next clause gives: "weld parameters and gas checked". */
const CHECKED_WITHOUT_ITS_RESULT =
  /\b(checked|verified|inspected|confirmed|measured)\s*$|(查过|检查过|确认过?|核对过?|检查了|查了)\s*$/u;
/** The result the next clause gives a check: "in window", "within spec", "normal", 正常. */
const RESULT_IN_ORDER =
  /^(all |both )?(in (the )?window|within (the )?(spec\w*|window|limits?|tolerance|range)|in spec|in tolerance|normal|ok|okay|fine|as set|good|same as (before|usual)|正常|合格|无异常|没问题)\b/u;

/** Whether a clause is an item of a list ("press", "die") that a later clause of its sentence clears. */
function listClearedAfter(clauses: readonly Clause[], index: number): boolean {
  if (!/^[a-z0-9-]+( [a-z0-9-]+)?$/u.test(clauses[index]!.text.trim())) return false;
  for (let next = index + 1; next < clauses.length && next <= index + 4; next += 1) {
    const clause = clauses[next]!;
    // An aside in brackets is an item too ("mats (changed Monday), guard film all per WI").
    if (
      clause.line !== clauses[index]!.line ||
      !(clause.afterComma || clause.parenthetical || clauses[next - 1]!.parenthetical)
    )
      return false;
    if (LIST_CLEARED.test(clause.text.trim())) return true;
    if (!/^[a-z0-9-]+( [a-z0-9-]+)?$/u.test(clause.text.trim())) return false;
  }
  return false;
}

/** A temperature of the hall, the room, the store or the weather: "hall 7 C", "outside 35 °C", 车间温度 5 °C. */
const AMBIENT_TEMPERATURE =
  /\b(?:hall|room|shop|workshop|shop floor|bay|ambient|outside|outdoors?|warehouse|store|container)\b(?: [a-z][a-z0-9]?)?(?: temp(?:erature)?)?\s*(?:is |was |at |of |[:=])?\s*(-?\d{1,2}(?:\.\d)?)\s*(?:°\s*c|℃|c)\b|(?:车间|室温|环境温度|气温|室外|仓库|库房|厂房)(?:温度)?\s*[:：为是]?\s*(-?\d{1,2}(?:\.\d)?)\s*(?:°c|℃|度)/gu;
/** At or below this a working hall is cold for the process (°C). */
const AMBIENT_COLD_C = 10;
/** At or above this a working hall or the weather is hot for the process (°C). */
const AMBIENT_HOT_C = 35;

/** A clause whose subject is a person who did something: "he held …", "the stand-in skipped …", 他把…. */
const PERSON_DID =
  /^(he|she|they|the ((night|day|late|early|evening|weekend|[abc])(-| )(shift )?)?(operator|stand-?in|worker|welder|setter|polisher|packer|trainee|temp|new (operator|worker|welder|setter)))\s+((out of|by|from) (force of )?habit\s+)?(\w+ed|held|put|took|set|ran|cut|left|laid|made|did|forgot|skipped)\b|^(他|她|他们)(按习惯|照习惯|习惯性地?|凭习惯|凭经验|凭感觉)?(把|将|没有?|未|直接|自己|只|就)/u;

/**
 * What says the person knew the instruction or acted for pace: the instruction posted at the station
 * or signed for, a change made without the approval it needs, or the count the person was chasing.
 */
const ACTED_AGAINST_THE_INSTRUCTION =
  /\b(don'?t|do not|never) (change|adjust|touch)\b[^.;]{0,30}\bwithout\b|\b(is|was|are|were) (on the board|posted|displayed|at the station|on the machine)\b|\b(trained|training|signed)\b[^.;]{0,20}\b(signed( off)?|done|completed|on (the )?wi)\b|\bwithout (the )?(approval|authori[sz]ation|permission|sign-?off)\b|\bunauthori[sz]ed\b|\bto (hit|make|meet|reach|beat) (the |his |her |their |a )?([a-z-]+ ){0,2}(target|quota|count|output|numbers?|schedule|plan)\b|\bbehind (on|with) (the |his |her |their )?([a-z-]+ )?(count|output|schedule|target|plan|quota)\b|\bto (save time|catch up|speed (it |things )?up)\b|赶进度|赶产量|赶时间|赶工|赶货|赶数量|图快|图省事|为了快|没有申请|未经(批准|审批|允许|同意)|私自|擅自|培训(已|过|并)?签字|(刚|已经?)培训过|(wi|作业指导书|工艺卡|规程|sop)[^。；]{0,12}(写明|规定|要求)[^。；]{0,6}只能/u;

/** Settings a report clears together: "转速、压力都在作业指导书范围内", "all within the process window". */
const SETTINGS_CLEARED_TOGETHER =
  /(都|均|全部?|也)在[^。；，]{0,14}(范围|窗口|window|规定|要求|公差)(内|以内|之内)|\ball (within|inside|in) (the )?([a-z-]+ ){0,2}(window|range|spec|limits?|tolerance)\b/u;

/** A branch a short clause denies outright: "不是我们的设备", "并非材料问题", "so not the steel and not the quench". */
const BRANCH_DENIED =
  /^(但|所以|因此)?(不是|并非|不属于)[^，。；]{0,12}$|^(so |therefore |hence |thus |and )?(it is |it's |it was )?not (the |a |an )?[a-z-]+( [a-z-]+)?( (and|or|nor) (not )?(the |a |an )?[a-z-]+( [a-z-]+)?)?\s*$/u;

/**
 * Whether a clause says where the instruction was, at hand: "the welding card is posted on the
 * machine", "规程就贴在工位上", "作业指导书和工装都在工位上".
 */
function namesWhereTheInstructionIs(text: string): boolean {
  return (
    /\b(is|was|are|were) (posted|displayed|hung|hanging) (on|at|by|next to) the (machine|station|line|bench|board)\b|^(is|was|are|were) on the board\b|(贴在|挂在)(工位|机台|机器|设备|墙)/u.test(
      text,
    ) ||
    /(作业指导书|指导书|工艺卡|作业卡|wi|sop|工装|夹具)[^。；，]{0,10}(都|均|就)?(在|放在|挂在)(工位|机台|现场)上?$/u.test(
      text.trim(),
    )
  );
}

/** Whether a short clause names a candidate only to set it aside: "not die wear", "but not the coil". */
function namedToBeSetAside(text: string): boolean {
  return (
    /^(but |and |so )?not\s/u.test(text.trim()) &&
    text.trim().split(/\s+/u).length <= 5 &&
    !/\b[a-z]+(ed|en)\b/u.test(text.replace(/^(but |and |so )?not\s/u, ''))
  );
}

/** The line that lists who attended a meeting or who is on the team: "参会：…", "Attendees: …", "D1 team: …". */
const ATTENDEES_LINE =
  /^\s*(参会|与会|出席|参加人员|参会人员|小组成员|团队成员|(d1\s*)?(team|team members)|attendees|attendance|present|participants|members)\s*[:：]/iu;

/** A heading that only opens the section of causes: "D4 Root cause", "Root cause analysis", 根本原因. */
const CAUSE_SECTION_HEADING =
  /^(d\s*4\s*[-–.:]?\s*)?((probable |possible |the )?root causes?( analysis)?|causes?( analysis)?|analysis|investigation|原因分析|根本原因|原因|根因|分析)$/iu;

/** The standard a reading is set against, written after it: "(WI 1,200 m/min)", "(WI 15-20 L/min)", "(要求 120°C)". */
const SPEC_AFTER =
  /^(sop|wi|wps|spec|window|process window|process card|recipe|工艺卡|工艺单|作业卡|作业指导书|min|max|minimum|maximum|要求|标准|工艺要求?|set|setpoint|set point|sv|设定值?|控制(范围|值|线)?|control( range| limit)?s?|target|目标值?)(-[a-z0-9]+(-[a-z0-9]+)*)?\s*[:：]?\s*[\d<>≤≥]/u;
/**
 * Whether the last number of a setting or reading lies inside the range or bound written after it
 * ("5.6 %" against "控制 3.2–4.0 %" is outside; "12 s" against "spec 10-15 s" is inside).
 */
function readingWithinItsSpec(written: string, writtenSpec: string): boolean {
  // "1,450 rpm": a thousands separator, not two numbers.
  const setting = written.replace(/(\d),(\d{3})(?!\d)/gu, '$1$2');
  const spec = writtenSpec.replace(/(\d),(\d{3})(?!\d)/gu, '$1$2');
  const values = [...setting.matchAll(/(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])/gu)].map((match) =>
    Number(match[1]),
  );
  const last = values[values.length - 1];
  if (last === undefined) return false;
  const range = /(\d+(?:\.\d+)?)\s*[a-z%°℃]*\s*(?:-|–|~|～|to)\s*(\d+(?:\.\d+)?)/u.exec(spec);
  // Of several numbers ("1045 C / 40 min" against "1040-1060"), the one of the window's magnitude.
  const nearest = (middle: number): number =>
    values.reduce((best, value) =>
      Math.abs(Math.log((value + 1e-9) / middle)) < Math.abs(Math.log((best + 1e-9) / middle)) ? value : best,
    );
  if (range) {
    const value = nearest((Number(range[1]) + Number(range[2])) / 2 || 1);
    return value >= Number(range[1]) && value <= Number(range[2]);
  }
  const value = last;
  // "press force 18.0 kN (set 18.0)", "die height 42.00 (setting 42.00)": on its own setpoint.
  const setpoint =
    /^\s*(set|setpoint|set point|setting|std|standard|nominal|sv|设定值?|标准值?)\s*[:：=]?\s*(\d+(?:\.\d+)?)\s*[a-z%°℃/]*\s*$/u.exec(
      spec,
    );
  if (setpoint) return Math.abs(value - Number(setpoint[2])) <= Math.abs(Number(setpoint[2])) * 0.02;
  const bound = /(≥|>=|\bmin(?:imum)?\b|≤|<=|\bmax(?:imum)?\b)\s*[:：]?\s*(\d+(?:\.\d+)?)/u.exec(spec);
  if (!bound) return false;
  return /^(≥|>=|min)/u.test(bound[1]!) ? value >= Number(bound[2]) : value <= Number(bound[2]);
}

/** A property of a consumable or stock: viscosity, concentration, moisture, grit, pH, a moulding sand's compactability. */
const CONSUMABLE_PROPERTY =
  /\b(visc\w*|concentration|moisture|grit|ph|compactability|sand permeability)\b|粘度|黏度|浓度|含水率?|水分|粒度|紧实率|透气性/u;

/** A clause that is only a standard: the word for it, then the value or window. */
const SPEC_ONLY =
  /^(sop|wi|wps|spec|window|process window|process card|recipe|work instruction|作业指导书|工艺卡|工艺单|作业卡|要求|标准|工艺要求?|工艺|规定)\s*(要求|规定|标准)?\s*[:：]?\s*(p|#)?[\d<>≤≥~-][\d.\s~\-–±<>≤≥]*\s*(°c|℃|l\/min|mm|a|v|s|min|分钟|秒|bar|mpa|%|rpm|转)?\s*$/u;

/**
 * The name of a kind of record in the title on a report's first line: 记录, 检验单, 报告, "check
 * sheet", "record", "log", "report". Narrower than the record titles the counts read around a date
 * (those take "check" and "inspection" too): a first line that says only what was checked may
 * still name a cause.
 */
const RECORD_NAME =
  /(记录|记录表|检验单|检查表|报告|日报|点检表)(\s|$)|\b(check ?sheet|record|log|report|data sheet|inspection sheet)\b/u;

/** The process card a value is held to: 工艺卡, 工艺单, 作业卡, "process card", "recipe". */
const PROCESS_CARD = /^(process card|recipe|工艺卡|工艺单|作业卡)/u;

/** The standard a reading is held to is the machine's own setpoint: "(set 80 °C)", "（设定1000）". */
const SETPOINT_SPEC = /^(set|setpoint|set point|sv|设定值?)(?![a-z])/u;
/** A reading the equipment delivered, as measured or logged: "实测 142 A", "log: 45 C", "actual 930". */
const ACTUAL_READING =
  /实测|测得|显示|记录|\b(measured|actual|actually|log|logged|logger|chart|reads?|reading|display(ed|s)?|clamp meter|thermocouple)\b/u;
/** What makes an instrument a cause: out of calibration, reading high or low, stuck, the wrong one. */
const INSTRUMENT_FAULT =
  /calibrat|out of cal|\bcal\b|\b(reads?|reading|read|showed|shows)\b(?:[^.;,]|\.(?=\d)){0,24}\b(high|low|off|short|long)\b|\b(is|was|were|are|\d+(\.\d+)?\s*\S*)\s+off\b|drift|wrong|worn|wear|broken|\bbroke\b|stuck|dead|not zeroed|\bnew\b|fitted|replaced|changed|swapped|更换|换了|换成|新的?|zero(ed)? wrong|offset|error|faulty|expired|overdue|偏高|偏低|偏小|偏大|不准|失准|未校|没校|没有校|校验|校准|过期|坏|漂移|磨损|老化|比实际(低|高)|实际[^。；，]{0,12}就响|\bclick(s|ed)? (already )?at\b/u;

/** A setting someone changed: "set to 3500", "raised to", "调到", "改成". */
const CHANGED_SETTING =
  /\b(set to|set at|changed|raised|increased|reduced|lowered|adjusted|bumped|turned (up|down)|programmed)\b|调到|调成|调高|调低|改成|改为|改到|设到|设成|提到|降到|提高到|降低到/u;
/** The same, said in a clause of the same sentence: "clamp force measured 3 kN, the WI specifies 5 kN". */
const SPEC_SAID_AFTER =
  /^(the )?(sop|wi|wps|work instruction|spec|specification)\s+(says|calls for|requires|specifies)\s*[:：]?\s*(p|#)?[\d<>≤≥]/u;

/** A record or log that shows a reading ("the temperature log shows", "记录显示"), or a reading against its setpoint. */
const RECORD_SHOWS =
  /\b(log|logs|record|records|chart|logger|printout|trend)\b[^,.;]{0,12}\b(shows?|showed|says|reads?)\b|\bvs\.?\s+[\d.]+\s*\S*\s*setpoint\b|(记录|曲线|日志)[^，。；]{0,6}显示/u;

/** A setting of the process: speed, flow, current, pressure, temperature, time, concentration. */
const PROCESS_SETTING =
  /\b(speed|rpm|flow|l\/min|current|amps?|voltage|pressure|bar|temp(erature)?|setpoint|set point|dwell|feed|concentration|time|torque|force|stroke|grit)\b|粒度|\d\s*(°c|℃|a|v|min|s|%)(?![a-z])|\d\s*度(?![a-z])|转速|流量|电流|电压|压力|温度|时间|浓度|速度|设定/u;
/** A reading of the product itself (hardness, sharpness, angle, size, runout), not a setting. */
const PRODUCT_READING =
  /\b(hrc|icp|angle|runout|ra|gloss|gu|flatness|thickness|width|length|gap)\b|\d\s*(mm(?!\s*\/)|°(?!\s*c))|\d+\s*\/\s*\d+|硬度|刃角|角度|跳动|尺寸|厚度|宽度|长度|平面度|样件/u;

/** A hardness or sharpness reading, or a count of parts: what was found, not a setting or a machine's state. */
const HARDNESS_OR_COUNT = /\b\d[\d.]*\s*(hrc|icp)\b|\b\d+\s*(of|\/)\s*\d+\b/u;

/** The same, or a number of parts in Chinese ("铆钉松动 2 只"): in a clause naming the defect, its count. */
const FINDING_COUNT = new RegExp(`${HARDNESS_OR_COUNT.source}|\\d+\\s*(只|把|件|个)`, 'u');

/** Chinese cause markers that say what changed, written after the thing that changed. */
const CHANGE_MARKER_ZH = /^(换了|改为|改成|更换后|变更后)$/u;

/** A count of parts and nothing else ("4/25", "3 of 40 pcs", "5把"). */
const BARE_COUNT =
  /^(ng\s*)?\d+\s*(\/|of|out of)\s*\d+\s*(pcs|pieces|parts|units|件|把|只|个)?$|^\d+\s*(pcs|pieces|件|把|只)$/u;

/** A value with its unit and nothing else ("0.6 Nm", "8 bar", "12.5 %"). */
const BARE_VALUE = /^[<>≤≥~]?\s*\d[\d.,]*\s*[a-z%°℃/]{0,6}(\s*[x×]\s*\d[\d.,]*\s*[a-z]{0,4})?$/u;

/** A question of a 5-why chain: "W2 why?", "why 3 - why was it possible?", "为什么2？". */
const WHY_QUESTION = /^(w\d+\b|why\s*\d*\b|\d+\.?\s*why\b|为什么|为何)/u;

/** The clauses answering the first why of a chain of two or more. */
function firstAnswerOfAWhyChain(clauses: readonly Clause[]): Set<number> {
  const asks = (clause: Clause): boolean =>
    WHY_QUESTION.test(clause.text) &&
    (clause.text.includes('?') ||
      /^(w\d+\b|why\s*\d+\b|\d+\.?\s*why\b|为什么|为何)/u.test(clause.text) ||
      (/^why\b/u.test(clause.text) && clause.text.length <= 40));
  const first = clauses.findIndex(asks);
  if (first < 0) return new Set();
  let start = first;
  while (start < clauses.length && asks(clauses[start]!)) start += 1;
  let end = start;
  while (end < clauses.length && !asks(clauses[end]!)) end += 1;
  if (end >= clauses.length) return new Set();
  const answer = new Set<number>();
  for (let index = start; index < end; index++) answer.add(index);
  return answer;
}

/** A clause that only names the equipment the parts came from ("furnace T-2", "press P-6"): where, not why. */
const EQUIPMENT_NAMED_ONLY =
  /^(on |from |at )?(the )?(furnace|oven|press|line|station|machine|welder|robot|cell|tank|bath|mould|mold|die|fixture|jig|wheel|grinder|riveter|honer)\s*(no\.?\s*|#\s*)?[a-z]{0,3}-?\d+[a-z]?$|^(炉|压机|冲床|焊机|工位|产线|线)\s*[a-z]{0,3}-?\d+$/u;

/** A setting named as such: "设定电流 135 A", "set 200 °C", "setpoint 1040". */
const SETTING_SAID = /设定|\b(set|setpoint|set point|setting|programmed|dialled|dialed)\b/u;

/** The first number of a clause with its unit (A, V, °C, L/min, kN, N, %, s). */
function firstQuantity(text: string): { value: number; unit: string } | undefined {
  const match = /(\d+(?:\.\d+)?)\s*(°\s*c|℃|a|v|l\/min|kn|n|%|s|mpa|bar|rpm)(?![a-z])/u.exec(text);
  if (!match) return undefined;
  return { value: Number(match[1]), unit: match[2]!.replace(/\s+/gu, '').replace('℃', '°c') };
}

/** The number of a work instruction or procedure: "wi-ht-007", "sop-qc-12". */
const DOCUMENT_NUMBER = /^(sop|wi|wps)(-[a-z0-9]+)+$/u;

/** A window or bound alone, with at most one unit on each side: "1,400-1,500", "<= 3", "12-15 min", "≥ 30 l/min". */
const BARE_WINDOW =
  /^[(（]?\s*((<=|>=|≤|≥|<|>)\s*\d[\d.,]*\s*[a-z%°℃/]{0,6}|\d[\d.,]*\s*[a-z%°℃/]{0,6}\s*(-|–|~|～|to)\s*\d[\d.,]*\s*[a-z%°℃/]{0,6})\s*[)）]?\s*$/u;

/** Words a stage is named with besides its own term ("刀背抛光工序", "the glazing station"). */
const STAGE_FILLER =
  /工序|工位|岗位|\b(the|station|process|step|line|area|cell)\b|\b[a-z]{2}-[a-z]{2}-\d+\b/gu;

/** Whether a clause names only a production stage, not what went wrong there. */
function namesOnlyAStage(clause: string): boolean {
  let rest = clause;
  for (const [, matcher] of STAGE_MATCHERS)
    for (const hit of matcher.find(clause)) rest = rest.replace(hit.term, ' ');
  if (rest === clause) return false;
  return rest.replace(STAGE_FILLER, ' ').replace(/[\s\p{P}\d]+/gu, '').length === 0;
}

/** "since" followed by a time only ("since Friday", "since 3 March", "since the night shift"). */
const SINCE_A_TIME =
  /^since\s+((about|around|approx\.?|approximately|roughly|early|late|mid)\s+)?((last|this|the)\s+)?((mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day)?|yesterday|today|\d[\d./-]*(\s*[a-z]{3,9})?|(morning|night|day|evening|[abc])\s+shift|start[- ]?up|week(end)?|month)\s*$/u;

export function readCauses(
  clauses: readonly Clause[],
  measurements: readonly MeasuredValue[],
  defectTerms: readonly TermHit[],
  normalized: string,
): StatedCause[] {
  const causes: StatedCause[] = [];
  const defectWords = new Map<number, string[]>();
  for (const hit of defectTerms)
    if (!hit.negated) defectWords.set(hit.clause, [...(defectWords.get(hit.clause) ?? []), hit.term]);
  const defectClauses = new Set(defectWords.keys());
  // A setting followed by the standard it misses ("belt speed 900 m/min (WI 1,200 m/min)"): a
  // process parameter off its window, the method branch.
  const specOfTheClauseBefore = new Set(
    clauses.flatMap((clause, index) =>
      index > 0 &&
      (SPEC_AFTER.test(clause.text) ||
        (clause.afterComma && SPEC_SAID_AFTER.test(clause.text)) ||
        // "(WI-HT-007: 180 C x 2 h)": the instruction's number, then its value after a colon.
        (clause.parenthetical &&
          DOCUMENT_NUMBER.test(clause.text) &&
          clauses[index + 1]?.afterColon === true &&
          /^[<>≤≥~]?\s*\d/u.test(clauses[index + 1]!.text)))
        ? [index]
        : [],
    ),
  );
  // In a 5-why chain the answer to the first why is the mechanism of the defect ("blades touched and
  // sagged in the quench"); the cause is what the later whys find.
  const firstWhyAnswer = firstAnswerOfAWhyChain(clauses);
  /** The window alone in brackets right after a clause on its line ("(1,400-1,500)", "(<= 3)"). */
  const bareWindowAfter = (index: number): Clause | undefined => {
    const window = clauses[index + 1];
    return window !== undefined &&
      window.line === clauses[index]!.line &&
      window.parenthetical &&
      BARE_WINDOW.test(window.text)
      ? window
      : undefined;
  };
  // The lines a fishbone's candidates sit on, each read once for a verdict that rules it out.
  const lines = normalized.split('\n');
  const ruledOutLines = new Set(lines.flatMap((line, at) => (RULED_OUT_LINE.test(line.trim()) ? [at] : [])));
  // The items listed under a heading that rules them all out ("Ruled out:", "已排除："): the
  // candidates the investigation cleared, each on its own line.
  lines.forEach((line, at) => {
    if (!RULED_OUT_HEADING.test(line.trim())) return;
    for (let next = at + 1; next < lines.length && LIST_ITEM.test(lines[next]!); next++)
      ruledOutLines.add(next);
  });
  // A first suspicion the report states before its checks ("First suspicion was the die (worn or
  // shifted).", 起初怀疑模具): a candidate, not the cause found.
  lines.forEach((line, at) => {
    if (FIRST_SUSPICION.test(line)) ruledOutLines.add(at);
  });
  const mechanisms: StatedCause[] = [];
  // The lines that give the report's conclusion on the cause.
  const concludedLines = new Set(lines.flatMap((line, at) => (CONCLUSION_LINE.test(line) ? [at] : [])));
  clauses.forEach((clause, index) => {
    const [causesBefore, mechanismsBefore] = [causes.length, mechanisms.length];
    readClause(clause, index);
    // A cause read from the line of the conclusion is the report's own verdict on the cause.
    if (concludedLines.has(clause.line)) {
      if (causes.length > causesBefore) causes.at(-1)!.concluded = true;
      if (mechanisms.length > mechanismsBefore) mechanisms.at(-1)!.concluded = true;
    }
  });
  function readClause(clause: Clause, index: number): void {
    // A clause of the conclusion that names a branch is the cause, whatever else it says ("根本原因：
    // 卡尺摔过后失准", "结论：冷却液被操作员关掉→干磨过热").
    if (concludedLines.has(clause.line) && !CONCLUSION_LINE.test(`${clause.text}:`)) {
      // In a chain ("冷却液被关掉→干磨过热→刃口发蓝") the first link is the cause.
      const firstLink = clause.text.split(/→|->|=>|⇒/u)[0]!;
      const category = categoryOf(firstLink) ?? categoryOf(clause.text);
      if (
        category !== null &&
        !NOT_A_CAUSE.test(clause.text) &&
        !CHECKED_NORMAL.test(clause.text) &&
        !WITHIN_LIMIT.test(clause.text) &&
        !CLEARED_BRANCH.test(clause.text)
      ) {
        causes.push({
          text: clause.text,
          category_6m: category,
          hypothesis: HYPOTHESIS_MARKERS.find(clause.text).length > 0,
          // In a chain ("冷却液被关掉→干磨过热→刃口回火变软") the first link is the cause; the stages
          // after the arrows are what it did to the part.
          stages: stagesOf(firstLink),
        });
        return;
      }
    }
    if (
      NOT_A_CAUSE.test(clause.text) ||
      CHECKED_NORMAL.test(clause.text) ||
      // "weld parameters and gas checked, in window", "Die and feeder checked: normal": the check
      // and the result the next clause gives it.
      (CHECKED_WITHOUT_ITS_RESULT.test(clause.text) &&
        clauses[index + 1]?.line === clause.line &&
        (clauses[index + 1]!.afterComma || clauses[index + 1]!.afterColon) &&
        RESULT_IN_ORDER.test(clauses[index + 1]!.text.trim())) ||
      // "Material lot and mould temperature (170-175 C) unchanged": the verdict after the aside.
      (clauses[index + 1]?.parenthetical === true &&
        clauses[index + 1]!.line === clause.line &&
        clauses[index + 2]?.line === clause.line &&
        /^(unchanged|not changed|no change|normal|as usual|as before|ok|没变|未变|正常)$/u.test(
          clauses[index + 2]!.text.trim(),
        )) ||
      // "8D D1-D4 (draft)": the state of the document, not a draught of air.
      /^(draft|drafts|草稿|初稿)$/u.test(clause.text.trim()) ||
      SAME_AS_THE_GOOD_PARTS.test(clause.text) ||
      CORRECTION_MADE.test(clause.text) ||
      FISHBONE_HEADING.test(clause.text) ||
      // "Furnace log: quench fan tripped …": the record's label; the clause after it says what it shows.
      (RECORD_LABEL.test(clause.text) &&
        clauses[index + 1]?.afterColon === true &&
        clauses[index + 1]!.line === clause.line) ||
      /^0\s+[a-z]+$/u.test(clause.text) ||
      // The title of the record on its first line ("热处理硬度记录 SC-200 炉号 T3-02", "Hardness check
      // sheet, furnace 3"): what the record is, not a cause.
      (clause.line === 0 &&
        RECORD_NAME.test(clause.text) &&
        CAUSE_MARKERS.find(clause.text).length === 0 &&
        !namesAKindOfFailure(clause.text)) ||
      // A heading over the lines that follow ("本炉参数 / furnace data:"): it names what they hold.
      (clauses[index + 1]?.line !== clause.line &&
        !/\d/u.test(clause.text) &&
        /[:：]\s*$/u.test(lines[clause.line] ?? '') &&
        CAUSE_MARKERS.find(clause.text).length === 0) ||
      ruledOutLines.has(clause.line) ||
      // Where the instruction was ("the welding card is posted on the machine", "作业指导书和工装都在
      // 工位上"): at hand, no cause.
      namesWhereTheInstructionIs(clause.text) ||
      // Settings the report clears together ("转速、压力都在作业指导书范围内", "all within the window").
      SETTINGS_CLEARED_TOGETHER.test(clause.text) ||
      // A branch denied outright ("不是我们的设备", "并非材料问题", "not the quench").
      BRANCH_DENIED.test(clause.text.trim()) ||
      // Who attended or who is on the team ("参会：品质部 陈经理、…", "D1 team: QE, process eng."): people, not a cause.
      ATTENDEES_LINE.test(lines[clause.line] ?? '') ||
      // A heading that only opens the section of causes ("D4 Root cause:", "根本原因："): the lines below say it.
      (clauses[index + 1]?.line !== clause.line &&
        CAUSE_SECTION_HEADING.test(clause.text.trim()) &&
        /[:：]\s*$/u.test(lines[clause.line] ?? '')) ||
      // A candidate named only to set it aside ("so this is an offset, not die wear").
      namedToBeSetAside(clause.text) ||
      (IN_CALIBRATION.test(clause.text) && !CALIBRATION_LAPSED.test(clause.text)) ||
      WITHIN_LIMIT.test(clause.text) ||
      namesOnlyAStage(clause.text) ||
      specOfTheClauseBefore.has(index) ||
      CLEARED_BRANCH.test(clause.text) ||
      // A request for what to do next ("请设备和厂务看 P-20 地基", "please get maintenance to check"):
      // an action asked for, not a cause found.
      /^(please|pls|kindly|can we|could we|could you|can you)\b|^(请|麻烦|建议)/u.test(clause.text.trim()) ||
      // What was asked for or done with the parts ("asked for a space heater", "520 pcs held at TG-1
      // for regrind"), and a check that found nothing changed ("nothing changed on program or wheel").
      /^(asked|requested|ordered|raised a request) (for|maintenance|facilities|the)\b|\b(held|quarantined|isolated|on hold|blocked) (at|in|for) [^.;]{0,30}\b(regrind|re-?grind|rework|re-?hon\w*|re-?polish\w*|sort\w*|inspection|re-?inspection|mrb)\b|^nothing (was )?changed (on|in)\b/u.test(
        clause.text.trim(),
      ) ||
      // An interim measure ("until then the sump heaters go on at 05:00", "在此之前先…"): what is
      // done meanwhile, not what went wrong.
      /^(until (then|that is done|it is fixed|they are back)|in the meantime|meanwhile|as an interim (measure|action))\b|^(在此之前|在修好之前)/u.test(
        clause.text.trim(),
      ) ||
      // The first items of a list the sentence then clears ("press, die and gauges verified").
      listClearedAfter(clauses, index) ||
      // The last items of a list the clause before calls the same ("runs the same oil lot, wheels and
      // program"): compared and found alike.
      (index > 0 &&
        clause.afterComma &&
        clauses[index - 1]!.line === clause.line &&
        /\bsame\b|同一|同样/u.test(clauses[index - 1]!.text) &&
        /^(and |or )?[a-z0-9-]+( [a-z0-9-]+)?( and [a-z0-9-]+( [a-z0-9-]+)?)?$/u.test(clause.text.trim())) ||
      // The label of a reading given after a colon inside the window stated after it ("型砂含水率:
      // 3.4 %（控制 3.0–3.8 %）"): nothing went wrong there.
      (!/\d/.test(clause.text) &&
        CAUSE_MARKERS.find(clause.text).length === 0 &&
        !namesAKindOfFailure(clause.text) &&
        clauses[index + 1]?.afterColon === true &&
        clauses[index + 1]!.line === clause.line &&
        /^[<>≤≥~]?\s*\d/u.test(clauses[index + 1]!.text) &&
        specOfTheClauseBefore.has(index + 2) &&
        readingWithinItsSpec(clauses[index + 1]!.text, clauses[index + 2]!.text))
    )
      return;
    // A complaint's own account of what happened ("complaint: 'the blade chips'") is the claim.
    if (index > 0 && COMPLAINT_LABEL.test(clauses[index - 1]!.text)) return;
    const markers = CAUSE_MARKERS.find(clause.text);
    // A clause that describes the defect itself ("chipped edge on blanks from press P2") is the
    // finding, not its cause, unless a cause marker or a kind of failure ("worn", "changed") is in
    // it; in a count of the parts ("rivets loose 6/40") the words that name the defect do not count.
    if (markers.length === 0 && defectClauses.has(index)) {
      // A breakage the defect's own words name ("handle broke off at the neck") is not a failure of
      // the equipment.
      const rest = (defectWords.get(index) ?? [])
        .filter((term) => FINDING_COUNT.test(clause.text) || BREAKAGE_WORD.test(term))
        .reduce((text, term) => text.replace(term, ' '), clause.text);
      if (!namesAKindOfFailure(rest)) return;
    }
    // What the count right after it quantifies ("handle rivet loose and wobbly, 4/25") is the finding.
    // A kind of failure with no defect word in its clause ("rack loaded double, 12/40") is the
    // cause, the count the finding's.
    if (
      markers.length === 0 &&
      BARE_COUNT.test(clauses[index + 1]?.text ?? '') &&
      clauses[index + 1]!.line === clause.line &&
      (defectClauses.has(index) || !namesAKindOfFailure(clause.text) || PART_OF_THE_PRODUCT.test(clause.text))
    )
      return;
    // A value written after its label ("pivot screw torque checked: 0.6 Nm, spec 1.2-1.5 Nm") is
    // read with the label.
    const setting =
      BARE_VALUE.test(clause.text) && index > 0 && clauses[index - 1]!.line === clause.line
        ? `${clauses[index - 1]!.text} ${clause.text}`
        : clause.text;
    // Any reading inside the window written right after it ("leak-up 1.6 Pa/min (<= 3)", "spindle
    // 1,450 rpm (1,400-1,500)") is no cause.
    const windowNext =
      specOfTheClauseBefore.has(index + 1) && clauses[index + 1]!.line === clause.line
        ? clauses[index + 1]
        : bareWindowAfter(index);
    if (
      windowNext !== undefined &&
      markers.length === 0 &&
      /\d/.test(setting) &&
      !DOCUMENT_NUMBER.test(windowNext.text) &&
      readingWithinItsSpec(setting, windowNext.text)
    )
      return;
    if (
      specOfTheClauseBefore.has(index + 1) &&
      PROCESS_SETTING.test(setting) &&
      /\d/.test(setting) &&
      !PRODUCT_READING.test(setting) &&
      // The word for the setting itself ("回火炉设定 240 °C") names no failure; a setting read
      // against what the equipment delivered ("设定 200 ℃ / 实测 305 ℃") is read below.
      !namesAKindOfFailure(
        ACTUAL_READING.test(setting) ? setting : setting.replace(/设定值?|设置|\bset ?points?\b/gu, ' '),
      )
    ) {
      const spec = DOCUMENT_NUMBER.test(clauses[index + 1]!.text)
        ? `${clauses[index + 1]!.text}: ${clauses[index + 2]?.text ?? ''}`
        : clauses[index + 1]!.text;
      // A reading the equipment delivered short of its own setpoint or window, as measured or
      // logged ("zone 3 948 °C (set 1000)", "实测 142 A (WPS 160-180 A)"), is the machine not
      // holding what it was set to; a setting someone chose off the window is the method.
      // A reading inside the window stated after it ("水分 3.6 %（控制 3.2–4.0 %）") is no cause.
      if (readingWithinItsSpec(setting, spec)) return;
      const said =
        index > 0 && clauses[index - 1]!.line === clause.line && setting !== clause.text
          ? setting
          : index > 0 && clauses[index - 1]!.line === clause.line
            ? `${clauses[index - 1]!.text} ${setting}`
            : setting;
      // A value off the process card ("回火温度记录 205 °C (工艺卡 180±5 °C)") is the process run off
      // its card, the method, unless the report names the equipment that failed.
      const machineShort =
        (SETPOINT_SPEC.test(spec) || (ACTUAL_READING.test(said) && !PROCESS_CARD.test(spec))) &&
        !CHANGED_SETTING.test(said);
      // A property of a consumable off its window ("ink viscosity 18 s (spec 22-26 s)") is the material.
      const consumableOff = CONSUMABLE_PROPERTY.test(setting);
      (firstWhyAnswer.has(index) ? mechanisms : causes).push({
        // A reading without its label ("只有42度") is named by the clause before it ("模温偏低").
        text: `${setting.length < 12 && said !== setting ? said : setting} (${spec})`,
        category_6m: consumableOff ? 'material' : machineShort ? 'machine' : 'method',
        hypothesis: false,
        stages: stagesOf(setting),
        off_window_setting: true,
      });
      return;
    }
    // A setting and, in the next clause, what the equipment was measured to deliver, well short of or
    // over it ("焊机设定电流 135 A，实测输出 96 A", "set 200 °C, thermometer in the load 238 °C"): the
    // machine not holding what it was set to.
    // … or both in one clause ("load-centre TC 150 °C vs set 185 °C", "实际温度比设定低40度").
    if (ACTUAL_AGAINST_THE_SETTING.test(clause.text) && !SPEC_ONLY.test(clause.text)) {
      (firstWhyAnswer.has(index) ? mechanisms : causes).push({
        text: clause.text,
        category_6m: 'machine',
        hypothesis: HYPOTHESIS_MARKERS.find(clause.text).length > 0,
        stages: stagesOf(clause.text),
      });
      return;
    }
    const measuredNext = clauses[index + 1];
    if (
      measuredNext &&
      measuredNext.line === clause.line &&
      SETTING_SAID.test(clause.text) &&
      ACTUAL_READING.test(measuredNext.text) &&
      !ACTUAL_READING.test(clause.text.replace(SETTING_SAID, ''))
    ) {
      const set = firstQuantity(clause.text);
      const delivered = firstQuantity(measuredNext.text);
      if (
        set &&
        delivered &&
        set.unit === delivered.unit &&
        Math.abs(set.value - delivered.value) > 0.1 * Math.abs(set.value)
      ) {
        causes.push({
          text: `${clause.text}, ${measuredNext.text}`,
          category_6m: 'machine',
          hypothesis: false,
          stages: stagesOf(clause.text),
        });
        return;
      }
    }
    // A standard on its own ("工艺 70-80 °C", "WI 要求 12-15 L/min") says what should be, not what went wrong.
    if (SPEC_ONLY.test(clause.text)) return;
    // A person who did the step their own way against the instruction they had ("他就用自来水把
    // rinse 槽加满了 … WI 写明只能用 DI 水，他上个月刚培训过"): the person's branch.
    const personAgainstTheInstruction =
      PERSON_DID.test(clause.text.trim()) && ACTED_AGAINST_THE_INSTRUCTION.test(normalized);
    const categorized = categoryOf(clause.text) ?? (personAgainstTheInstruction ? 'man' : null);
    if (markers.length === 0 && categorized === null) return;
    // The instrument a reading was taken with ("feeler gauge on the surface plate", "CMM report") is
    // how it was measured; it is a cause only when the report says it was wrong.
    if (
      markers.length === 0 &&
      categorized === 'measurement' &&
      !INSTRUMENT_FAULT.test(clause.text) &&
      // An instrument the clause finds failed ("量块读 10.06", "the gauge reads 0.6 mm low"), or
      // moved out of its place ("the control thermocouple has slipped out of its holder").
      !FAILED_INSTRUMENT.test(clause.text) &&
      !CHANGED_INSTRUMENT.test(clause.text)
    )
      return;
    // A shift or a person named without what they did ("night shift", "operator 12") is not a cause.
    if (
      markers.length === 0 &&
      categorized === 'man' &&
      (clause.text.match(CAUSE_KINDS.man) ?? []).length === 0 &&
      !personAgainstTheInstruction
    )
      return;
    // "since Friday", "since the last shift": a time, not a cause; the clause before it is the finding.
    const marker = markers.find((candidate) => !SINCE_A_TIME.test(clause.text.slice(candidate.offset)));
    // A marker that ends its clause ("热电偶上周更换了") closes what went before it: the clause is the cause.
    // A Chinese marker of a change ("铆钉批次换了新供应商") keeps what changed, before it.
    const text =
      marker &&
      clause.text.slice(marker.offset + marker.term.length).trim().length > 0 &&
      !CHANGE_MARKER_ZH.test(marker.term)
        ? clause.text.slice(marker.offset).trim()
        : clause.text;
    const next = clauses[index + 1]?.text ?? '';
    // "the wash step was skipped because the washer was being descaled": when what follows the
    // marker names no branch, the clause's own failure is the cause.
    const before = marker ? clause.text.slice(0, marker.offset) : '';
    const fromTheClause =
      marker !== undefined &&
      categoryOf(text) === null &&
      categoryOf(next) === null &&
      categoryOf(before) !== null;
    const read =
      (fromTheClause ? categoryOf(before) : (categoryOf(text) ?? (marker ? categoryOf(next) : null))) ??
      (personAgainstTheInstruction ? 'man' : null);
    // A failure the line pins on an instrument ("oven probe vs reference thermometer: off 25 °C").
    const line = clauses
      .filter((other) => other.line === clause.line)
      .map((other) => other.text)
      .join(' ');
    // Stock spoiled by a machine failure the same line names ("pellets went in wet; the hopper
    // heater had failed"): the failure is the cause.
    const category =
      read === 'machine' && INSTRUMENT_READS_WRONG.test(line)
        ? 'measurement'
        : (read === 'machine' || read === null) && NEW_LOT_OF_A_CONSUMABLE.test(clause.text)
          ? 'material'
          : read === 'machine' &&
              INSTRUMENT_SUBJECT.test(clause.text) &&
              namesAKindOfFailure(clause.text) &&
              !/报警|\balarm/u.test(clause.text)
            ? 'measurement'
            : read === 'method' &&
                (ACTUAL_AGAINST_THE_SETTING.test(clause.text) || actualOffItsSetting(clause.text))
              ? 'machine'
              : // What a person did at the machine ("he held the knives on the wheel far too long",
                // "他把 scale 放进 fixture 没有推到位"), the machine not failing: the person's branch.
                read === 'machine' &&
                  PERSON_DID.test(clause.text) &&
                  !namesAKindOfFailureOf('machine', clause.text)
                ? 'man'
                : read === 'material' &&
                    SPOILED_CONSUMABLE.test(text) &&
                    (line.match(CAUSE_KINDS.machine) ?? []).length > 0
                  ? 'machine'
                  : read;
    if (!marker && category === null) return;
    if (
      !marker &&
      !personAgainstTheInstruction &&
      !namesAKindOfFailure(clause.text) &&
      !CAUSE_CATEGORY_MATCHERS.some(([, matcher]) => matcher.find(clause.text).length > 0)
    )
      return;
    // A reading of the product and where it came from ("51.8 HRC on blades from furnace 2") places
    // the finding; it says nothing went wrong with the furnace.
    if (!marker && !namesAKindOfFailure(clause.text) && HARDNESS_OR_COUNT.test(clause.text)) return;
    (firstWhyAnswer.has(index) ? mechanisms : causes).push({
      text: fromTheClause ? clause.text : marker && text.length < 12 && next ? `${text} ${next}` : text,
      category_6m: category,
      // Equipment only named ("furnace T-2") is where the parts came from: a lead, not a statement.
      hypothesis:
        HYPOTHESIS_MARKERS.find(clause.text).length > 0 ||
        (EQUIPMENT_NAMED_ONLY.test(text) &&
          // "Furnace VF-4: vacuum pump oil contaminated": the label of what the next clause says of it.
          !(
            clauses[index + 1]?.afterColon === true &&
            clauses[index + 1]!.line === clause.line &&
            (namesAKindOfFailure(clauses[index + 1]!.text) || categoryOf(clauses[index + 1]!.text) !== null)
          )),
      stages: stagesOf(`${text} ${marker ? next : ''}`),
      // What a log or record shows of a setting is the reading, like a setting against its
      // standard: a failure named with it explains it.
      ...(category === 'method' && RECORD_SHOWS.test(clause.text) ? { off_window_setting: true } : {}),
    });
  }
  // With nothing stated deeper in the chain, the first answer is all the report says of the cause.
  if (causes.length === 0) causes.push(...mechanisms);
  for (const overdue of overdueMaintenance(normalized)) {
    // The clause of the record the overdue use was read from, read as another branch ("filter last
    // changed 9 months ago" as a changed method), is the same statement, not a second cause.
    for (let index = causes.length - 1; index >= 0; index--)
      if (
        causes[index]!.category_6m !== 'machine' &&
        !CALIBRATION_WORD.test(overdue) &&
        sharesAStretch(causes[index]!.text, overdue)
      )
        causes.splice(index, 1);
    causes.unshift({
      text: overdue,
      // An instrument past its calibration interval reads what it reads: the measurement branch.
      category_6m: CALIBRATION_WORD.test(overdue) ? 'measurement' : 'machine',
      hypothesis: false,
      stages: stagesOf(overdue),
      past_its_life: true,
    });
  }
  for (const fault of instrumentFaults(clauses)) {
    // The same statement read as another branch ("controller TC cal due" as the furnace) is the
    // instrument's fault, not a second cause.
    for (let index = causes.length - 1; index >= 0; index--)
      if (causes[index]!.category_6m !== 'measurement' && sharesAStretch(causes[index]!.text, fault))
        causes.splice(index, 1);
    const same = causes.findIndex((cause) => cause.text === fault || sharesAStretch(cause.text, fault));
    // The report's conclusion stays its conclusion when it is the instrument's fault.
    const concluded = same >= 0 && causes[same]!.concluded === true;
    if (same >= 0) causes.splice(same, 1);
    causes.unshift({
      text: fault,
      category_6m: 'measurement',
      hypothesis: false,
      stages: stagesOf(fault),
      past_its_life: true,
      ...(concluded ? { concluded: true } : {}),
    });
  }
  // A step as it was done with the work instruction's own words beside it in brackets ("temper: 1 x 2
  // h @ 190 C (WI-HT-011: 2 x 2 h)", "pre-clean: wiped dry only (WI-BW-04: acetone wipe)"): the step
  // was not done as written, a gap in the method, whatever the equipment it names.
  for (const line of lines) {
    const quoted = STEP_AGAINST_ITS_INSTRUCTION.exec(line.trim());
    // Equipment used past its interval ("2,340 pcs since last dress (WI: every 800)") is past its
    // life, the machine's branch, as read above.
    if (
      !quoted ||
      NOT_A_CAUSE.test(line) ||
      WITHIN_LIMIT.test(quoted[3]!) ||
      causes.some((cause) => cause.past_its_life === true && sharesAStretch(cause.text, line)) ||
      USE_SINCE_ITS_SERVICE.test(line)
    )
      continue;
    for (let index = causes.length - 1; index >= 0; index--)
      if (causes[index]!.category_6m !== 'method' && sharesAStretch(causes[index]!.text, line))
        causes.splice(index, 1);
    causes.push({ text: line.trim(), category_6m: 'method', hypothesis: false, stages: stagesOf(line) });
  }
  causes.push(...displayAgainstItsReference(normalized));
  // The temperature of the hall, the room or the weather far from a working shop's ("hall 7 C",
  // "outside 35 °C today", 车间温度 5 °C): the environment the process ran in.
  for (const match of normalized.matchAll(AMBIENT_TEMPERATURE)) {
    const value = Number(match[1] ?? match[2]);
    if (value <= AMBIENT_COLD_C || value >= AMBIENT_HOT_C)
      causes.unshift({
        text: `${match[0].trim()}: the ${value <= AMBIENT_COLD_C ? 'cold' : 'heat'} of the work or storage area`,
        category_6m: 'environment',
        hypothesis: false,
        stages: [],
      });
  }
  const humidity = measurements.find((value) => value.name === 'humidity_percent_rh');
  if (humidity && humidity.value >= 65)
    causes.push({
      text: `humidity ${humidity.value} %RH in the work or storage area`,
      category_6m: 'environment',
      hypothesis: true,
      stages: [],
    });
  const unique = causes.filter(
    (cause, index) => causes.findIndex((other) => other.text === cause.text) === index,
  );
  // "原因 清洗线停了修泵" beside "清洗线停了修泵": the label read with its cause is the same cause,
  // which the report calls the cause.
  const labelledCopies = new Set<StatedCause>();
  const calledTheCause = new Set<StatedCause>();
  for (const cause of unique) {
    const labelled = /^(原因|结论|根本原因|根因|root cause|cause|conclusion)\s+(.+)$/u.exec(cause.text);
    const same = labelled ? unique.find((other) => other.text === labelled[2]) : undefined;
    if (!same) continue;
    labelledCopies.add(cause);
    if (same.category_6m !== null) calledTheCause.add(same);
  }
  // A reading outside the window written right after it on its line.
  const outsideTheirWindow = new Set(
    clauses.flatMap((clause, index) => {
      const window = bareWindowAfter(index);
      return window !== undefined && /\d/.test(clause.text) && !readingWithinItsSpec(clause.text, window.text)
        ? [clause.text]
        : [];
    }),
  );
  const concludedFirst = (cause: StatedCause): number =>
    Number(cause.concluded === true && cause.category_6m !== null);
  return (
    unique
      .filter((cause) => !labelledCopies.has(cause))
      .map((cause) => (calledTheCause.has(cause) ? { ...cause, concluded: true } : cause))
      .map((cause) => (outsideTheirWindow.has(cause.text) ? { ...cause, outside_its_limit: true } : cause))
      // The report's conclusion first, then the causes in the order the report names them.
      .sort((left, right) => concludedFirst(right) - concludedFirst(left))
      .slice(0, 6)
  );
}

/** The person at the station: an operator, a setter, a welder, 操作员, 调机员. */
const PERSON_AT_THE_STATION =
  /\b(operator|setter|welder|worker|stand-?in|trainee|temp|packer|polisher|assembler|fitter|loader)s?\b(?!\s+(says?|said|reports?|reported|told|thinks?|thought)\b(?!( (us|me|them))?\s+(that\s+)?(he|she|they)\b))|操作员|操作工|调机员|焊工|员工|工人|作业员|(抛光|包装|打磨)工(?![位序艺段站作])|学徒/gu;
/** Someone who sets the process: an engineer, a supervisor, a shift leader, the production office. */
const PERSON_WHO_SETS_THE_PROCESS =
  /\b(engineer\w*|engineering|supervisor|line (leader|lead)|shift (leader|lead)|foreman|production (manager|dept|department|office)|management|planner|process (owner|engineer)|technologist|ie)\b|\becn\b|工艺员|工程师|工程部|技术员|主管|班长|组长|生产部|经理|厂长/gu;
/** What a person does against the instruction of their own accord. */
const OWN_DEVIATION =
  /自己|私自|擅自|为了(赶|多|省|快|图|方便)|赶(产量|货|进度|工|时间|数量)|图快|图省事|跳过|漏做|没按|不按|输成|输错|设错|装错|拿错|用错|\bskipp(ed|ing)\b|\binstead of\b|\bagainst the (wi|sop|instruction|work instruction|sheet|card|route card|setup sheet)\b|\bto (make|reach|hit|meet|beat) (the |his |her |their |a )?([a-z-]+ ){0,2}(target|quota|count|output|numbers?|rate)\b|\bto (catch up|save time|speed (it |things )?up)\b|\bon (his|her|their) own\b|\bwithout (telling|asking|the sign-?off|sign-?off|approval|permission|recording|logging)\b|\b(keyed|typed|entered) (in )?[\d.]+ (instead|for)\b|\bwithout (checking|verifying|confirming)\b|\bstopped (using|wearing|fitting|doing|checking)\b|\b(bypass(ed|ing)?|jumper(ed)?|overr(ode|idden))\b|\bto keep (the )?([a-z-]+ ){0,2}(fed|running|going|moving)\b/gu;

/** A step done as the instruction has it: "per the new sequence", "按新工艺卡". */
const AS_THE_INSTRUCTION_SAYS =
  /\b(per|as per|according to|following|as in) the\b[^.;,]{0,30}\b(sequence|wi|instruction|sop|card|routing|procedure|process sheet)\b|按(照)?(新的?)?(作业指导书|指导书|工艺卡|作业卡|规定|流程|规程|sop|wi)/u;

/**
 * Whether the report says the person at the station changed a setting, skipped a step or keyed a
 * wrong value of their own accord: in a sentence where the last person named before the deviation
 * is the operator, not an engineer or a supervisor who changed the process.
 */
export function operatorDeviatedOnTheirOwn(normalized: string): boolean {
  return (
    normalized
      .split(/[。；;!！\n]|\.(?=\s|$)/u)
      .map((sentence) => sentence.replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, ''))
      // A step left out as the instruction now has it ("skipped … per the new sequence") follows it.
      .filter((sentence) => !AS_THE_INSTRUCTION_SAYS.test(sentence))
      .some((sentence) =>
        [...sentence.matchAll(OWN_DEVIATION)].some((deviation) => {
          // "没有漏做", "did not skip": the deviation denied.
          if (
            /(没有?|未|不是|\bnot|\bnever|n't)\s*$/u.test(
              sentence.slice(Math.max(0, deviation.index - 6), deviation.index),
            )
          )
            return false;
          // The person named shortly before what they did, and no one who sets the process after them.
          const before = sentence.slice(
            Math.max(0, deviation.index - 120),
            deviation.index + deviation[0].length,
          );
          const lastOperator = Math.max(
            -1,
            ...[...before.matchAll(PERSON_AT_THE_STATION)].map((match) => match.index),
          );
          const lastSetter = Math.max(
            -1,
            ...[...before.matchAll(PERSON_WHO_SETS_THE_PROCESS)].map((match) => match.index),
          );
          return lastOperator >= 0 && lastOperator > lastSetter;
        }),
      )
  );
}

/** The column of what a machine shows of itself: its display, panel or controller. */
const DISPLAY_COLUMN =
  /\b(display|displayed|panel|controller|screen|hmi|set ?point|setting)\b|显示|面板|控制器/u;
/** The column of an independent instrument read against it: a clamp meter, a reference, 钳表. */
const REFERENCE_COLUMN =
  /\b(clamp[- ]?meter|clamp|reference|ref|handheld|hand-held|calibrated|master|lab|independent)\b|钳表|钳形|标准表|校准表|实测/u;

/**
 * A table that sets what a machine's display shows against an independent instrument ("stn |
 * display (A) | clamp meter (A)", "2 | 116 | 93"), where a row's two readings differ by more than a
 * tenth: the display reads wrong, the measurement branch.
 */
function displayAgainstItsReference(normalized: string): StatedCause[] {
  const lines = normalized.split('\n');
  for (const [at, line] of lines.entries()) {
    if (!line.includes('|')) continue;
    const header = line.split('|').map((cell) => cell.trim());
    const display = header.findIndex((cell) => DISPLAY_COLUMN.test(cell) && !REFERENCE_COLUMN.test(cell));
    const reference = header.findIndex((cell) => REFERENCE_COLUMN.test(cell) && !DISPLAY_COLUMN.test(cell));
    if (display < 0 || reference < 0) continue;
    for (const row of lines.slice(at + 1)) {
      const cells = row.split('|').map((cell) => cell.trim());
      if (cells.length !== header.length) break;
      const shown = Number(/^\d+(\.\d+)?$/u.exec(cells[display] ?? '')?.[0] ?? Number.NaN);
      const measured = Number(/^\d+(\.\d+)?$/u.exec(cells[reference] ?? '')?.[0] ?? Number.NaN);
      if (!Number.isFinite(shown) || !Number.isFinite(measured) || measured <= 0) continue;
      if (Math.abs(shown - measured) > 0.1 * measured)
        return [
          {
            text: `the ${header[display]} reads ${shown > measured ? 'high' : 'low'}: ${shown} against the ${header[reference]} ${measured}`,
            category_6m: 'measurement',
            hypothesis: false,
            stages: [],
          },
        ];
    }
  }
  return [];
}

/** A count of use against a service interval: "since last dress", "dressing interval", "every 800 pcs", 每 500 件. */
const USE_SINCE_ITS_SERVICE =
  /\b(since (the )?last|interval|every \d[\d,]*\s*(pcs|pieces|parts|shots|cycles|blades)?)\b|每\s*\d+|间隔/u;

/** A step as done, then the instruction's own words in brackets: "temper: 1 x 2 h (WI-HT-011: 2 x 2 h)". */
const STEP_AGAINST_ITS_INSTRUCTION =
  /^([^()（）\n]{2,60}?)\s*[:：]\s*([^()（）\n]{2,60}?)\s*[(（]\s*(?:wi|sop|work instruction|作业指导书|指导书|工艺卡|作业标准)[\w-]*\s*[:：]\s*([^()（）]{2,60})[)）]\s*$/u;

/** A count of use against a change limit or life: "run 3,150 pcs; change limit is 2,000", "40k shots old, change interval 25k". */
const USE_AGAINST_LIFE =
  /(?<used>\d[\d,.]*)\s*(?<usedUnit>k)?\s*(pcs|pieces|parts|shots|strokes|welds|cycles|hours|h)\b[^\d\n]{0,30}?\b((change|replacement|dressing|service|rated|design)\s+)?(limit|life|interval)\s*(is|of|:|=)?\s*(?<life>\d[\d,.]*)\s*(?<lifeUnit>k)?/u;
/** Hours of use before the number, against a life: "lamp hour 1350, life 1000". */
const HOURS_AGAINST_LIFE =
  /\b(hours?|hrs?)\s*[:=]?\s*(?<used>\d[\d,.]*)\s*(?<usedUnit>k)?\b[^\d\n]{0,20}?\b((rated|service|design)\s+)?(life|limit)\s*(is|of|:|=)?\s*(?<life>\d[\d,.]*)\s*(?<lifeUnit>k)?/u;
/** What is counted is a load, not use: "loaded 420 pcs", "per rack", 装炉. */
const LOAD_COUNTED = /\b(load\w*|racks?|baskets?|trays?|per (rack|basket|tray|load))\b|装/u;

/** Whether two texts share a stretch of eight characters or more: one statement read twice. */
function sharesAStretch(left: string, right: string): boolean {
  for (let start = 0; start + 8 <= left.length; start++)
    if (right.includes(left.slice(start, start + 8))) return true;
  return false;
}

/** Use counted in Chinese against a cycle or life: "已焊 6,800 点（修磨周期 2,000 点）", "用了 1.2 万次，寿命 8000 次". */
const USE_AGAINST_CYCLE =
  /(已|累计|共)?(焊|冲|用|使用|运行|打|磨|切)了?\s*(?<used>\d[\d,.]*)\s*(?<usedUnit>万)?\s*(点|次|件|把|只|小时|h|模|刀)[^\d\n]{0,12}?(修磨|更换|保养|刃磨|维护|换|修整)?(周期|寿命|间隔|规定)\s*[:：=]?\s*(?<life>\d[\d,.]*)\s*(?<lifeUnit>万)?/u;
/** Time since a service against its interval: "last changed 9 months ago, interval 3 months". */
const SINCE_AGAINST_INTERVAL =
  /\blast (changed|replaced|cleaned|serviced|dressed|drained|calibrated)\s+(?<since>\d+)\s+(?<unit>months?|weeks?|days?)\s+ago\b[^\d\n]{0,30}?\b(interval|every|due every|cycle)\s*(is|of|:|=)?\s*(?<interval>\d+)\s*(?<intervalUnit>months?|weeks?|days?)/u;

/** Use counted since the last maintenance against its interval: "shots since last PM: 182k (PM interval 150k)", "冲次 412,000，保养周期 300,000". */
const USE_AGAINST_INTERVAL =
  /(shots?|strokes?|hits?|cycles?|hours?|冲次|次数|使用次数|小时)[^\d]{0,30}?(\d[\d,.]*)\s*(k|万)?\b[^\d]{0,40}?(pm|maintenance|service|overhaul|regrind|保养|维护|维修|刃磨)\s*(interval|period|cycle|every|周期|间隔)?\s*[:：=]?\s*(\d[\d,.]*)\s*(k|万)?/u;

/**
 * Equipment run past its maintenance interval, as the line of a record states it with both numbers:
 * the machine branch (a die, wheel or tool worn past its service life).
 */
/**
 * Instruments the report finds at fault: past their calibration ("ammeter last calibrated in March,
 * expired", 校准过期) or reading wrong against a reference ("control TC 1030 °C, survey TC 992 °C").
 * A gauge that misleads the setting or the check is the measurement system failing, as plain a
 * failure as a tool run past its life.
 */
function instrumentFaults(clauses: readonly Clause[]): string[] {
  const faults: string[] = [];
  clauses.forEach((clause, index) => {
    const next = clauses[index + 1];
    const sentence =
      next && next.line === clause.line && (next.afterComma || next.afterColon)
        ? `${clause.text} ${next.text}`
        : clause.text;
    if (HYPOTHESIS_MARKERS.find(sentence).length > 0) return;
    const readsWrong =
      (INSTRUMENT_READS_WRONG.test(sentence) && !INSTRUMENT_READS_WRONG.test(next?.text ?? '')) ||
      // "P-07 on the 15.0° master block reads 20.1", "硬度计测标准块 读 57.6": checked against a reference.
      referenceReadsOff(sentence);
    // "EC-3 on the master blade (certified 0.08 mm): reads 0.02": the master's value in brackets,
    // its reading in the clause after them.
    const withTheBrackets = clauses
      .slice(index, index + 3)
      .filter((other) => other.line === clause.line)
      .map((other) => other.text)
      .join(' ');
    const readsOffItsMaster = !readsWrong && referenceReadsOff(withTheBrackets);
    const lapsed =
      CALIBRATION_LAPSED.test(sentence) &&
      (INSTRUMENT_WORD.test(sentence) || (index > 0 && INSTRUMENT_WORD.test(clauses[index - 1]!.text))) &&
      !CALIBRATION_LAPSED.test(next?.text ?? '');
    // "control TC last cal: 14 months (interval 6)": past its interval by the report's own numbers.
    const line = clauses
      .filter((other) => other.line === clause.line)
      .map((other) => other.text)
      .join(' ');
    const sinceCalibrated =
      index === clauses.findIndex((other) => other.line === clause.line) ? CALIBRATED_AGO.exec(line) : null;
    const pastInterval =
      sinceCalibrated !== null && Number(sinceCalibrated[3]) > Number(sinceCalibrated[7]) ? line : undefined;
    if (pastInterval) faults.push(pastInterval);
    else if (readsWrong || lapsed) faults.push(sentence);
    else if (readsOffItsMaster) faults.push(withTheBrackets);
  });
  return faults.slice(0, 2);
}

function overdueMaintenance(normalized: string): string[] {
  const value = (digits: string, unit: string | undefined): number =>
    Number(digits.replace(/,/g, '')) * (unit === 'k' ? 1000 : unit === '万' ? 10000 : 1);
  return normalized.split('\n').flatMap((line) => {
    const match = USE_AGAINST_INTERVAL.exec(line);
    if (match) {
      const used = value(match[2]!, match[3]);
      const interval = value(match[6]!, match[7]);
      return interval > 0 && used > interval ? [match[0].trim()] : [];
    }
    // "the wheel had run 3,150 pcs; change limit is 2,000", "UV lamp hour 1350, life 1000": a tool
    // or part used past its life, unless what is counted is a load ("loaded 420 pcs, limit 300").
    // "电极帽已焊 6,800 点（修磨周期 2,000 点）": use in Chinese against the cycle in brackets.
    const cycle = USE_AGAINST_CYCLE.exec(line);
    if (cycle) {
      const used = value(cycle.groups!.used!, cycle.groups!.usedUnit);
      const life = value(cycle.groups!.life!, cycle.groups!.lifeUnit);
      if (life > 0 && used > life) return [cycle[0].trim()];
    }
    // "Filter last changed 9 months ago, interval 3 months": time since the service against its interval.
    const since = SINCE_AGAINST_INTERVAL.exec(line);
    if (since && since.groups!.unit!.slice(0, 3) === since.groups!.intervalUnit!.slice(0, 3)) {
      if (Number(since.groups!.since) > Number(since.groups!.interval)) return [since[0].trim()];
    }
    const past = USE_AGAINST_LIFE.exec(line) ?? HOURS_AGAINST_LIFE.exec(line);
    if (!past) return [];
    const clauseStart = Math.max(
      0,
      ...[...line.slice(0, past.index).matchAll(/[.;。；!?，,]\s/gu)].map((stop) => stop.index + 1),
    );
    if (LOAD_COUNTED.test(line.slice(clauseStart, past.index + past[0].length))) return [];
    const used = value(past.groups!.used!, past.groups!.usedUnit);
    const life = value(past.groups!.life!, past.groups!.lifeUnit);
    return life > 0 && used > life ? [past[0].trim()] : [];
  });
}
