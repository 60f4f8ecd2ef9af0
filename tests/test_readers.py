"""Whole-engine rows for reader decisions, grouped like the quantity table: each row is a report
sentence, a field and the value a careful reader takes (None: the field must stay empty).
The "bugs caught" rows come from a code review and stay as regressions."""

import json

import pytest
from hypothesis import given, settings, strategies as st

from conftest import ROOT
from enforcement_parser.api import parse_text
from enforcement_parser.engine.readers import tables, templates
from enforcement_parser.engine.readers.tables import split_header
from enforcement_parser.engine.readers.templates import item_label
from enforcement_parser.outputs.record import value_at

TITLE = "某市某局2023年度行政执法工作报告\n\n"

BUGS_CAUGHT = [
    # the label nearest the figure names it, not a longer one further left
    ("行政处罚中罚款12起。", "penalties.fines", 12),
    ("行政处罚中罚款12起。", "penalties.decisions", None),
    ("行政处罚案件中警告35起。", "penalties.warnings", 35),
    # a topic named inside the clause beats the sentence's first topic
    ("作出行政处罚决定120件，对行政强制措施法制审核15件。", "coercion.legal_reviewed", 15),
    ("作出行政处罚决定120件，对行政强制措施法制审核15件。", "penalties.legal_reviewed", None),
    # 纠错 after a litigation figure is not a reconsideration figure
    ("行政复议案件5件，行政诉讼案件3件，纠错1件。", "reviews.reconsideration.corrected", None),
    # an earlier "自…年起" does not make the figure another year's
    ("自2021年起推行行政执法三项制度，全年共办理行政处罚案件120件。", "penalties.decisions", 120),
    # a bracketed label only qualifies the label before it
    ("行政强制措施（查封、扣押）23件。", "coercion.measures", 23),
    ("行政强制措施（查封、扣押）23件。", "coercion.seizures", None),
    ("适用当场处罚（简易程序）3,506起。", "penalties.summary_procedure", 3506),
    # "具有法律职业资格" among all officers is agency-wide, not the legal reviewers'
    ("全局现有行政执法人员86名，其中具有法律职业资格12名。", "personnel.legal_profession_qualified", 12),
    ("全局现有行政执法人员86名，其中具有法律职业资格12名。", "reviews.legal_review.reviewers_qualified", None),
    ("法制审核人员8名，其中具有法律职业资格5名。", "reviews.legal_review.reviewers_qualified", 5),
    # "全局…" after the reviewers' figures is agency-wide again; "其中…的" still names the reviewers
    ("法制审核人员6名，其中具有法律职业资格的4名；全局通过国家统一法律职业资格考试的共15名。",
     "reviews.legal_review.reviewers_qualified", 4),
    ("法制审核人员6名，其中具有法律职业资格的4名；全局通过国家统一法律职业资格考试的共15名。",
     "personnel.legal_profession_qualified", 15),
    # "均具有法律职业资格" after the reviewers' count: all of them
    ("配备法制审核人员3名，均具有法律职业资格。", "reviews.legal_review.reviewers_qualified", 3),
    ("配备法制审核人员3名，均参加了业务培训。", "reviews.legal_review.reviewers_qualified", None),
    ("持证行政执法人员30名，均具有法律职业资格。", "reviews.legal_review.reviewers_qualified", None),
    # a fine not paid is no fine decision; a licence (许可证) revoked is no permit granted;
    # 重大行政处罚决定 are a subset of the decisions
    ("对逾期不缴纳罚款的3件依法加处罚款。", "penalties.fines", None),
    ("其中警告5件，罚款40件；对逾期不缴纳罚款的3件依法加处罚款。", "penalties.fines", 40),
    ("吊销营业许可证3件。", "permits.granted", None),
    ("准予许可120件，吊销许可证3件。", "permits.granted", 120),
    ("作出行政处罚决定80件，其中重大行政处罚决定6件。", "penalties.decisions", 80),
    ("重大行政处罚决定6件，均已备案。", "penalties.decisions", None),
    # corrections sent back by the legal review are the review's, whatever topic the clause ends in
    ("法制审核案件40件，其中行政处罚35件、行政强制5件，经审核退回纠正4件。", "reviews.legal_review.corrected", 4),
    ("法制审核案件40件，其中行政处罚35件、行政强制5件，经审核退回纠正4件。", "coercion.corrected", None),
    # 项次 counts inspections like 次; 项 alone counts items
    ("开展安全生产行政检查1,200项次。", "inspections.total", 1200),
    ("开展安全生产行政检查事项12项。", "inspections.total", None),
    # the unit (and multiplier) in brackets after a label applies to the bare number after it
    ("罚没金额（万元）：12.5", "penalties.fines_yuan", 125000),
    ("其中：警告（件）：6；罚款（件）：30；没收违法所得（件）：2", "penalties.fines", 30),
    ("罚没金额（备注）：12.5", "penalties.fines_yuan", None),
    # all subjects together are the statutory ones only when these are not stated apart
    ("行政执法主体（个）：3\n其中：法定行政机关（个）：2；受委托组织（个）：1", "subjects.statutory", 2),
    ("行政执法主体（个）：3\n其中：法定行政机关（个）：2；受委托组织（个）：1", "subjects.entrusted", 1),
    ("本部门行政执法主体共有3个。", "subjects.statutory", 3),
    # a label bound to the section topic loses to a specific one: 结案 is not 处罚决定
    ("四、行政处罚\n监察结案（件）：139\n行政处罚（件）：126", "penalties.decisions", 126),
    ("四、行政处罚\n全年结案139件。", "penalties.decisions", 139),
    # the parts of a legal-review total are the per-type reviews, not the decisions themselves
    ("全年法制审核案件40件（行政处罚34件、行政强制6件）。", "penalties.legal_reviewed", 34),
    ("全年法制审核案件40件（行政处罚34件、行政强制6件）。", "coercion.legal_reviewed", 6),
    ("全年法制审核案件40件，其中行政处罚34件。", "penalties.decisions", None),
    ("全年法制审核案件40件。行政处罚34件。", "penalties.legal_reviewed", None),
    # outcomes said of every case take the figure they are said of
    ("作出行政处罚决定6件，均为警告，均适用一般程序并经法制审核。", "penalties.warnings", 6),
    ("作出行政处罚决定6件，均为警告，均适用一般程序并经法制审核。", "penalties.general_procedure", 6),
    ("作出行政处罚决定6件，均为警告，均适用一般程序并经法制审核。", "penalties.legal_reviewed", 6),
    ("作出行政处罚决定120件，其中一般程序案件30件，均经法制审核。", "penalties.legal_reviewed", 30),
    ("作出行政处罚决定20件。其中警告5件、罚款15件，均适用一般程序。", "penalties.general_procedure", 20),
    ("行政复议案件3件，行政诉讼案件2件，均维持。", "reviews.reconsideration.upheld", None),
    ("行政诉讼案件3件，其中1件我局胜诉。", "reviews.litigation.won", 1),
    ("受理行政许可申请214件，均准予许可。", "permits.granted", 214),
    ("受理行政许可申请214件，力争全部准予许可。", "permits.granted", None),
    ("全年发生行政复议案件1件，经市人民政府复议维持。", "reviews.reconsideration.upheld", 1),
    ("全年发生行政复议案件5件，经复议维持3件。", "reviews.reconsideration.upheld", 3),
    ("向公安机关移送涉嫌犯罪案件7件；公安机关均已立案。", "penalties.criminal_transfers_accepted", 7),
    # major decisions count as filed when the sentence says all of them were
    ("重大行政执法决定9件，均已报市司法局备案。", "filings.major_decisions", 9),
    ("重大行政执法决定9件，均经集体讨论决定，并报区司法局备案。", "filings.major_decisions", 9),
    ("重大行政执法决定9件，均经集体讨论决定。", "filings.major_decisions", None),
    # wordings of other reports: 公示 as well as 公开, objects between 扣押/吊销 and the noun, a
    # trade between 现有 and 执法人员, 离开 for 调离, a long list between 受理 and 许可申请
    ("公示行政处罚决定120件，公示行政许可决定300件。", "penalties.published", 120),
    ("公示行政处罚决定120件，公示行政许可决定300件。", "permits.published", 300),
    # review: items seized are no count of seizure measures ("扣押假冒物品1,200余件")
    ("依法扣押涉案物品43件。", "coercion.seizures", None),
    # review: a word between 现有 and 执法人员 may make a subset ("现有女性执法人员18名")
    ("我局现有专卖执法人员287名。", "personnel.officers", None),
    ("我局现有女性执法人员18名。", "personnel.officers", None),
    ("我局现有辅助执法人员20名。", "personnel.officers", None),
    ("因工作调动离开执法岗位2名。", "personnel.transferred_out", 2),
    ("吊销安全生产许可证2件。", "penalties.license_revocations", 2),
    ("暂扣安全生产许可证2件。", "penalties.license_revocations", None),
    ("全年受理道路挖掘、临时占用城市道路、户外广告设置、建筑垃圾处置核准等行政许可申请2,016件。",
     "permits.accepted", 2016),
    ("受理投诉举报45件，行政许可申请30件。", "permits.accepted", None),
    # a ratio before an ASCII full stop
    ("执法记录仪配备比例达到1.1:1.", "recorders.per_officer", 1.1),
    # zeros in words: no permit decided; no reconsideration corrected, said in its own topic
    ("我局全年未作出行政许可决定。", "permits.decisions", 0),
    ("我局没有行政许可事项。", "permits.decisions", None),
    ("行政复议案件3件，其中维持3件，无被撤销或变更的案件。", "reviews.reconsideration.corrected", 0),
    ("行政诉讼案件2件，无被撤销的案件。", "reviews.reconsideration.corrected", None),
    # the object first, what was done to it after ("N件…案件全部经过法制审核", "对…的N件依法不予处罚")
    ("2023年，47件行政处罚案件全部经过法制审核后作出决定。", "penalties.legal_reviewed", 47),
    ("对30件一般程序处罚案件全部进行了法制审核。", "penalties.legal_reviewed", 30),
    ("47件行政处罚案件已全部公示。", "penalties.legal_reviewed", None),
    ("审核一般程序行政处罚案件48件。", "penalties.legal_reviewed", 48),
    ("另有5件涉嫌诈骗犯罪的案件依法移送公安机关。", "penalties.criminal_transfers", 5),
    ("对首次违法且危害后果轻微的5件依法不予处罚。", "penalties.not_penalized", 5),
    ("对逾期不缴纳罚款的2件依法加处罚款。", "coercion.enforcement_late_fees", 2),
    # review: "N件行政处罚中" may be a subset ("在抽查的40件行政处罚案件中，评为优秀案卷12件"); it is
    # the total only when the figure opens its clause, after nothing but 全年/共/在
    ("全年145件行政处罚中，适用简易程序97件、一般程序48件，处罚种类均为罚款。", "penalties.decisions", 145),
    ("其中145件行政处罚中，适用简易程序97件。", "penalties.decisions", None),
    ("在抽查的40件行政处罚案件中，评为优秀案卷12件。", "penalties.decisions", None),
    ("组织公开听证2件。", "penalties.published", None),
    ("六、法制审核\n经法制审核退回12件。", "reviews.legal_review.cases", None),
    ("审核行政处罚案件48件，行政强制措施6件。", "penalties.legal_reviewed", 48),
    ("实施行政强制措施12件，均为查封、扣押。", "coercion.seizures", 12),
    ("实施行政强制措施12件，均已解除。", "coercion.seizures", None),
    # the figure in brackets right after its label
    ("作出行政处罚决定（126件），其中适用简易程序（12件）、一般程序（114件）。", "penalties.general_procedure", 114),
    ("行政处罚决定（126件已公示）。", "penalties.decisions", None),
    # 法制审核 alone counts the agency's reviews only in a legal-review section
    ("六、法制审核与备案\n法制审核（件）：36", "reviews.legal_review.cases", 36),
    ("二、行政处罚\n作出行政处罚决定40件，法制审核36件。", "reviews.legal_review.cases", None),
    # list items share the verb only the first one says
    ("在门户网站公示行政许可决定300件，行政处罚决定40件。", "penalties.published", 40),
    ("在门户网站公示行政许可决定300件，行政处罚决定40件。", "penalties.decisions", None),
    ("公示行政许可决定300件，作出行政处罚决定40件。", "penalties.published", None),
    ("公示行政许可决定300件，作出行政处罚决定40件。", "penalties.decisions", 40),
    ("审核一般程序行政处罚案件48件、扣押决定15件。", "coercion.legal_reviewed", 15),
    # the verb phrase after the object's own clause, or before a closing note
    ("对4件首次违法、危害后果轻微的案件，依法作出不予行政处罚决定。", "penalties.not_penalized", 4),
    ("对17件首次违法的案件依法不予行政处罚（未计入处罚决定数）。", "penalties.not_penalized", 17),
    ("对4件首次违法的案件，依法从轻处罚。", "penalties.not_penalized", None),
    # 公示 alone counts published decisions inside their topic
    ("行政处罚决定书均在网站公示，共公示47件。", "penalties.published", 47),
    ("行政检查结果均在网站公示，共公示120件。", "penalties.published", None),
    # rates written out in words
    ("行政复议案件6件，行政复议纠错率为百分之十六点七。", "reviews.reconsideration.corrected_rate_pct", 16.7),
    ("行政诉讼败诉率为百分之五。", "reviews.litigation.loss_rate_pct", 5),
    ("案卷评查优良率为百分之九十二点三。", "reviews.litigation.loss_rate_pct", None),
    # spot checks and routine checks together are the inspections; routine checks alone are a part
    ("对辖区律师事务所开展“双随机”抽查和日常检查共120次。", "inspections.total", 120),
    ("对辖区律师事务所开展日常检查120次。", "inspections.total", None),
    # more wordings: the crime named between 涉嫌 and 犯罪, 执法案件 reviewed, 无败诉, 吊销执业证书,
    # "未实施查封、扣押等行政强制措施"
    ("涉嫌环境污染犯罪移送案件9件。", "penalties.criminal_transfers", 9),
    ("移送公安机关行政拘留案件16件。", "penalties.criminal_transfers", None),
    ("全年法制审核各类执法案件627件。", "reviews.legal_review.cases", 627),
    ("行政诉讼案件2件，均已审结，无败诉。", "reviews.litigation.lost", 0),
    ("力争行政诉讼无败诉。", "reviews.litigation.lost", None),
    ("吊销执业证书3件。", "penalties.license_revocations", 3),
    ("全年未实施查封、扣押等行政强制措施。", "coercion.measures", 0),
    # the outcome's clause may hold the figure it is said of, no other one
    ("一般程序案件17件全部经街道法制审核。", "penalties.legal_reviewed", 17),
    ("对适用一般程序的90起行政处罚案件全部进行法制审核。", "penalties.legal_reviewed", 90),
    ("作出行政处罚决定20件，其中警告5件全部经法制审核。", "penalties.legal_reviewed", None),
    # hotline complaints are not penalty cases; next year's aims are not figures
    ("全年通过12315热线受理投诉举报4,562件。", "penalties.cases_accepted", None),
    ("2024年力争办理行政处罚案件350件以上。", "penalties.decisions", None),
    # the whole system's figure (含各区县) loses to the agency's own
    ("作出行政处罚决定87件。另，全市卫生健康系统共办理行政处罚案件1,024件（含各区县）。", "penalties.decisions", 87),
    # "label：无" in a data list is a zero
    ("行政复议：1件；行政诉讼：无。", "reviews.litigation.cases", 0),
    ("行政复议：1件；行政诉讼：无。", "reviews.reconsideration.cases", 1),
    # two years side by side: a year between label and figure decides whose it is; a clause of
    # only the report year and a figure continues the field named before it; cross-year sums
    ("罚没金额2023年为86.74万元，2022年为63.2万元。", "penalties.fines_yuan", 867400),
    ("罚没金额2022年为63.2万元。", "penalties.fines_yuan", None),
    ("2022年办结行政复议案件2件，2023年1件，均维持原行政行为。", "reviews.reconsideration.cases", 1),
    ("2022年办结行政复议案件2件，2023年1件，均维持原行政行为。", "reviews.reconsideration.upheld", 1),
    ("2023年办结行政复议案件2件，2022年1件。", "reviews.reconsideration.cases", 2),
    ("全年作出行政处罚决定58件。两年累计作出行政处罚99件。", "penalties.decisions", 58),
    # "2022年、2023年分别…A和B": the report year's member of the pair, in either order
    ("2022年、2023年分别受理行政许可申请1,906件和2,134件。", "permits.accepted", 2134),
    ("2023年、2022年分别受理行政许可申请2,134件和1,906件。", "permits.accepted", 2134),
    ("2021年、2022年分别受理行政许可申请1,906件和2,134件。", "permits.accepted", None),
    ("2023年警告6件、罚款49件，2022年分别为4件、35件。", "penalties.warnings", 6),
    # "由A增加到B": B is the level now (when reached in the report year), A is no figure of it
    ("执法记录仪由2022年的40台增加到2023年的52台。", "recorders.body_cameras", 52),
    ("执法记录仪由40台增加到52台。", "recorders.body_cameras", 52),
    ("执法记录仪由2021年的40台增加到2022年的52台。", "recorders.body_cameras", None),
    ("执法记录仪由40台。", "recorders.body_cameras", 40),
    ("2022年执法记录仪由40台增加到52台。", "recorders.body_cameras", None),
    # another year's figure in its own clause
    ("2022年全年作出行政处罚决定100件。2023年全年作出行政处罚决定120件。", "penalties.decisions", 120),
    # one case's amount is not the year's total
    ("罚没金额共计48万元，单案最高罚款12万元。", "penalties.fines_yuan", 480000),
    ("单笔最高罚没金额12万元。", "penalties.fines_yuan", None),
    ("罚没金额最高的案件涉及化工企业，罚没金额12万元。", "penalties.fines_yuan", 120000),
    # an amount said to be counted in a total already stated is a part of it
    ("罚款金额共计80万元；其中按日计罚罚款金额15万元（已计入上述罚款金额）。", "penalties.fines_yuan", 800000),
    ("罚款金额共计80万元；按日计罚罚款金额15万元（已计入上述罚款金额）。", "penalties.fines_yuan", 800000),
    ("罚款金额15万元（另有2件未结）。", "penalties.fines_yuan", 150000),
    # figures said to be kept apart from the agency's data
    ("开展行政检查300次。下属支队数据另行公示（检查900次），不计入本局数据。", "inspections.total", 300),
    ("开展行政检查300次。检查结果另行公示。", "inspections.total", 300),   # only its own sentence
    # objects listed before the verb of their total: each names its own part
    ("对35件一般程序行政处罚案件和4件查封扣押决定均进行法制审核。", "penalties.legal_reviewed", 35),
    ("对35件一般程序行政处罚案件和4件查封扣押决定均进行法制审核。", "reviews.legal_review.cases", None),
    ("对35件一般程序行政处罚案件和4件行政强制措施均进行法制审核。", "coercion.legal_reviewed", 4),
    ("作出行政处罚决定35件和4件行政强制措施均进行法制审核。", "coercion.legal_reviewed", None),
    ("对35件案件进行法制审核。", "reviews.legal_review.cases", 35),
    # a label right before 和 and a figure is the object of the figure before it
    ("对35件行政处罚案件和4件行政强制措施进行法制审核。", "penalties.decisions", None),
    ("作出行政处罚决定和4件", "penalties.decisions", None),
    ("作出行政处罚决定共4件", "penalties.decisions", 4),
    # figures in a bracket after a total are its parts, and lose to a figure of their own field
    ("办理行政许可800件（药品许可300件、餐饮许可500件），准予许可790件。", "permits.granted", 790),
    # ... and without the bracket a kind of permit (餐饮许可) counts no permits granted either
    ("办理行政许可800件，餐饮许可500件，准予许可790件。", "permits.granted", 790),
    # a 其中 inside a closed bracket ends with it
    ("罚款80件（其中并处没收违法所得9件）、没收违法所得12件。", "penalties.confiscations", 12),
    ("罚款80件，其中并处没收违法所得9件、没收违法所得12件。", "penalties.confiscations", None),
    # an applicant's withdrawal is no count of applications
    ("行政许可申请300件，申请人撤回5件。", "permits.applications", 300),
    ("准予许可290件，申请人撤回5件。", "permits.applications", None),
    # police wording: 民警, 驾驶证, 自行履行罚款决定, 审核一般程序案件, 均为准予许可
    ("现有民警30名、辅警60名。", "personnel.officers", 30),
    ("现有辅警60名。", "personnel.officers", None),
    ("暂扣机动车驾驶证20起，吊销机动车驾驶证7起。", "penalties.license_suspensions", 20),
    ("暂扣机动车驾驶证20起，吊销机动车驾驶证7起。", "penalties.license_revocations", 7),
    ("扣留机动车驾驶证20本。", "penalties.license_suspensions", None),
    ("罚款500起，当事人自行履行罚款决定480起。", "penalties.fines", 500),
    ("罚款500起，当事人自行履行罚款决定480起。", "penalties.voluntarily_performed", 480),
    ("审核一般程序案件40起、行政强制措施12起。", "penalties.legal_reviewed", 40),
    ("审核一般程序案件40起、行政强制措施12起。", "coercion.legal_reviewed", 12),
    ("审核案件40起。", "penalties.legal_reviewed", None),
    ("作出行政许可决定300件，均为准予许可。", "permits.granted", 300),
    ("作出行政许可决定300件，均为不予许可。", "permits.granted", None),
    # a figure of all the area's departments loses to the agency's own
    ("本局现有行政执法人员40名。全县12个行政执法部门共有行政执法人员900名。", "personnel.officers", 40),
    ("全县12个行政执法部门共有行政执法人员900名。", "personnel.officers", 900),
    # campaign words only inside a bracketed breakdown veto the note's figures, not the total
    ("开展行政检查500次（其中专项整治检查200次），涉企检查300次。", "inspections.total", 500),
    ("开展行政检查500次（其中专项整治检查200次），涉企检查300次。", "inspections.enterprise", 300),
    ("作出行政处罚决定80件（其中专项行动罚没款6万元）。", "penalties.fines_yuan", None),
    ("开展专项整治，行政检查500次（其中涉企检查300次）。", "inspections.total", None),
    # 执法主体 as a data-list label; 未向司法机关移送 as a stated zero; 查封扣押决定 as a legal-review part
    ("执法主体：2个（某镇人民政府、某执法队）。", "subjects.statutory", 2),
    ("执法主体所在辖区有12个村。", "subjects.statutory", None),
    ("全年未向司法机关移送涉嫌犯罪案件。", "penalties.criminal_transfers", 0),
    ("全年未向司法机关报送统计数据。", "penalties.criminal_transfers", None),
    ("法制审核行政执法决定30件，其中行政处罚决定22件、查封扣押决定8件。", "coercion.legal_reviewed", 8),
    ("实施查封扣押8件。", "coercion.legal_reviewed", None),
    # a pending outcome said of every lawsuit
    ("发生行政诉讼案件2件，目前法院尚在审理中。", "reviews.litigation.pending", 2),
    ("发生行政诉讼案件3件，胜诉2件，另有1件正在审理。", "reviews.litigation.pending", None),
    ("行政复议案件2件，尚在审理中。", "reviews.litigation.pending", None),
]

# Rows per unit, then a 合计 line: the totals are the 合计 line's even when the rows listed do
# not add up to it (a unit left out)
TOTAL_LINE = ("第一中队：行政检查120次，行政处罚10件；\n第二中队：行政检查80次，行政处罚6件；\n"
              "合计：行政检查260次，行政处罚21件。")

# Sections whose heading names whose figures they hold (topics.toml [scope]): only in a report that
# keeps its own figures apart under parallel headings (本单位执法情况 / 全市执法情况汇总)
DUAL = ("一、本单位执法情况\n作出行政处罚决定5件，未实施行政强制措施。\n二、全市执法情况汇总\n"
        "全市作出行政处罚决定912件，实施行政强制措施40件，行政执法主体33个。")
SCOPE = [
    # there the wider section's figures are not taken, zeros in words of its own win
    (DUAL, "penalties.decisions", 5),
    (DUAL, "coercion.measures", 0),
    (DUAL, "subjects.statutory", None),
    # nor are another body's figures
    ("一、我局执法情况\n行政复议案件0件。\n二、全区执法情况\n全区行政复议案件30件。\n"
     "三、区人民政府行政复议情况\n受理行政复议案件12件，维持8件。", "reviews.reconsideration.upheld", None),
    # without parallel sections the wider figures are the report's (a whole-system summary) ...
    ("一、全省执法情况\n全省共作出行政处罚决定912件。", "penalties.decisions", 912),
    ("一、执法情况\n未实施行政强制措施。\n二、全县执法情况\n实施行政强制措施40件。", "coercion.measures", 40),
    # ... also when another heading speaks of the agency itself ("我局规范化建设")
    ("一、全县执法情况\n作出行政处罚决定318件。\n二、我局规范化建设情况\n其中行政处罚决定12件存在文书不规范。",
     "penalties.decisions", 318),
    # only the opening words of a heading give its scope
    ("一、建立法制审核和各部门协作机制\n作出行政处罚决定5件。\n二、我局执法数据\n未实施行政强制措施。",
     "penalties.decisions", 5),
]

TABLES = [
    # no report year: columns by year cannot be told apart
    ("|项目|2022年|2023年|\n|行政处罚决定|100件|120件|", "penalties.decisions", None, ""),
    ("|项目|2022年|2023年|\n|行政处罚决定|100件|120件|", "penalties.decisions", 120, TITLE),
    ("|项目|上一年|本年|\n|行政处罚决定|100件|120件|", "penalties.decisions", 120, TITLE),
    ("| 项目 | 数量 |\n| --- | --- |\n| 行政强制措施合计 | 137件 |", "coercion.measures", 137, TITLE),
    # a unit in its own column applies to the value
    ("项目\t单位\t2023年\t2022年\n罚没金额\t万元\t96.45\t108.20", "penalties.fines_yuan", 964500, TITLE),
    # a statistics form line by line: 行次, label, dot leader, value
    ("一、执法队伍\n01行政执法人员（人）………… 40\n02其中：具有法律职业资格……… 6", "personnel.officers", 40, TITLE),
    ("一、执法队伍\n01行政执法人员（人）………… 40\n02其中：具有法律职业资格……… 6",
     "personnel.legal_profession_qualified", 6, TITLE),
    ("罚没金额（万元）.......12.5", "penalties.fines_yuan", 125000, TITLE),
    ("罚没金额（万元）·····12.5", "penalties.fines_yuan", 125000, TITLE),
    ("罚没金额（万元）…12.5", "penalties.fines_yuan", None, TITLE),   # one … is an ellipsis, no leader
    ("上年同期行政处罚决定书………… 71件", "penalties.decisions", None, TITLE),
    ("受委托组织（某执法支队）………… 1", "subjects.entrusted", 1, TITLE),
    # rows under a 其中 are parts of the total above: by its parts labels, then by its topic
    ("七、法制审核\n法制审核………… 30\n其中：行政处罚………… 25\n行政强制………… 5", "coercion.legal_reviewed", 5, TITLE),
    ("七、法制审核\n法制审核………… 30\n其中：行政处罚………… 25\n行政强制………… 5", "reviews.legal_review.cases", 30, TITLE),
    ("八、复议诉讼\n行政诉讼………… 4\n其中：胜诉………… 2\n审理中………… 2", "reviews.litigation.pending", 2, TITLE),
    ("八、复议诉讼\n审理中………… 2", "reviews.litigation.pending", None, TITLE),
    # a topic-bound row (all subjects) loses to the specific row under it
    ("一、执法主体\n行政执法主体（个）………… 3\n其中：法定行政机关………… 2", "subjects.statutory", 2, TITLE),
    ("一、执法主体\n行政执法主体（个）………… 3", "subjects.statutory", 3, TITLE),
    # a column kept out of tables (行政确认) is a power-list item under a 权责清单 heading
    ("二、权责清单\n执法事项（项）………… 100\n其中：行政确认………… 7", "power_list.confirmations", 7, TITLE),
    ("二、执法情况\n行政确认………… 7", "power_list.confirmations", None, TITLE),
    # a table of contents: rising bare page numbers behind dot leaders are no figures
    ("目录\n行政处罚………… 3\n行政许可………… 5\n\n全年作出行政处罚决定12件。", "penalties.decisions", 12, TITLE),
    ("行政处罚………… 5\n行政许可………… 3", "penalties.decisions", 5, TITLE),
]


@pytest.mark.parametrize("sentence,path,expected", BUGS_CAUGHT)
def test_bugs_caught(sentence, path, expected):
    assert value_at(parse_text(TITLE + sentence), path) == expected


@pytest.mark.parametrize("text,path,expected", [
    (TOTAL_LINE, "inspections.total", 260), (TOTAL_LINE, "penalties.decisions", 21),
    # without a 合计 line the rows disagree and nothing is taken
    (TOTAL_LINE.rsplit("\n", 1)[0], "inspections.total", None),
])
def test_total_line_after_rows(text, path, expected):
    assert value_at(parse_text(TITLE + text), path) == expected


# A quoted name right before the label names a programme or kind of the field's acts: the figure
# counts that part, not the total (veto.named-kind); after a place word the name is where they were done.
NAMED_KINDS = [
    # the real shape (the name reads as a figure, 一次, too)
    ("全区累计开展“综合查一次”行政检查3100次，减少企业干扰数1585次。", "inspections.total", None),
    # my own wordings: other names, other fields, other quote marks
    ("今年办理「简案快办」行政处罚案件42件。", "penalties.decisions", None),
    ("全年开展\"双随机、一公开\"行政检查260次。", "inspections.total", None),
    ("全年开展“首违不罚”行政处罚以外的行政检查，共实施行政检查1800次。", "inspections.total", 1800),
    # near misses: the name is where (a website, a platform), or stands apart from the label
    ("今年在“浙江政务服务网”公开行政处罚结果信息共计24808条。", "penalties.published", 24808),
    ("依托“互联网+监管”平台开展行政检查520次。", "inspections.total", 520),
    ("对全区餐饮单位开展“守护舌尖”抽查和日常检查共96次。", "inspections.total", 96),   # both kinds: the whole
    ("按照“谁执法谁普法”要求，全年实施行政检查700次。", "inspections.total", 700),
]


@pytest.mark.parametrize("sentence,path,expected", NAMED_KINDS)
def test_a_quoted_name_before_the_label_counts_a_part(sentence, path, expected):
    assert value_at(parse_text(TITLE + sentence), path) == expected


# Recall audit (docs/accuracy.md): a power list as it stands after its yearly adjustment, with its
# breakdown in brackets; documents published after the list are not items of it. People who "changed
# posts" (更换岗位人员) are not read as transferred_out: a change of post need not leave enforcement, and
# the words stand as often in a training line ("组织12名更换岗位人员参加执法培训").
RECALL_SHAPES = [
    # the real shapes (a provincial police body's list; a city agency's staff line)
    ("公开动态调整后的省公安厅权责事项清单421项(其中行政许可22项、行政处罚259项、行政强制43项、"
     "行政监督检查25项、行政确认4项)，公开行政许可文书267份、行政处罚文书108656份。", {
        "power_list.items": 421, "power_list.permits": 22, "power_list.penalties": 259,
        "power_list.coercion": 43, "power_list.inspections": 25, "power_list.confirmations": 4}),
    ("现有持证执法人员110名，今年新增持证人员6名，注销24名，包括2名退休人员及22名更换岗位人员。",
     {"personnel.officers": 110, "personnel.transferred_out": None}),
    # my own wordings of the same forms
    ("经调整后的权责清单事项共356项，其中行政许可31项、行政监督检查40项。",
     {"power_list.items": 356, "power_list.permits": 31, "power_list.inspections": 40}),
    ("组织12名更换岗位人员参加执法培训。", {"personnel.transferred_out": None}),
    # near misses: the items adjusted this year; documents alone; people who retired
    ("本年度调整权责事项12项，其中行政许可3项。", {"power_list.items": None, "power_list.permits": None}),
    ("公开行政许可文书267份、行政处罚文书1086份。",
     {"power_list.permits": None, "power_list.penalties": None}),
    ("注销执法证件3名，均为退休人员。", {"personnel.transferred_out": None}),
]


@pytest.mark.parametrize("sentence,expected", RECALL_SHAPES)
def test_recall_shapes_read_their_figures(sentence, expected):
    record = parse_text(TITLE + sentence)
    assert {path: value_at(record, path) for path in expected} == expected


# A time phrase and a comma leading a sentence date all its figures: a period other than the report
# year (2023 here), or one that runs into another year, gives none of them.
LEAD_PERIODS = [
    # the shape met on a city's forestry statistics page (a 12-month period across two years) ...
    ("2022年10月1日至2023年9月30日，全市共查结林业行政案件16起，罚款16.9595万元。", "penalties.fines_yuan", None),
    # ... and the same page with its 年 and 月 lost
    ("2022101日至2023930日,全市共查结林业行政案件16起,罚款16.9595万元。", "penalties.fines_yuan", None),
    # my own wordings of the same form: the year before, a range into the report year, 以来
    ("2022年，我局共作出行政处罚决定40件，罚没金额12万元。", "penalties.decisions", None),
    ("2022年，我局共作出行政处罚决定40件，罚没金额12万元。", "penalties.fines_yuan", None),
    ("2022年12月至2023年11月，共受理行政复议申请3件。", "reviews.reconsideration.cases", None),
    ("自2019年以来，我局作出行政处罚决定300件。", "penalties.decisions", None),
    # near misses: the report year itself, part of it, a stock counted after it, a clause of the report year
    ("2023年1月1日至2023年12月31日，共作出行政处罚决定40件。", "penalties.decisions", 40),
    ("2023年1月至11月，共作出行政处罚决定40件。", "penalties.decisions", 40),
    ("2023年，我局共作出行政处罚决定40件。", "penalties.decisions", 40),
    ("截至2024年1月10日，我局共有行政执法人员50人。", "personnel.officers", 50),
    ("2022年，办结行政复议案件2件，2023年1件。", "reviews.reconsideration.cases", 1),
]


@pytest.mark.parametrize("text,path,expected", LEAD_PERIODS)
def test_a_leading_time_phrase_dates_the_sentence(text, path, expected):
    record = parse_text(TITLE + text)
    assert value_at(record, path) == expected
    if expected is None:   # refused as another period's, with the warning that says so
        assert path in {w["field"] for w in record["warnings"] if w["code"] == "year-mismatch"}


@settings(max_examples=40, deadline=None)
@given(start=st.integers(2019, 2024), end=st.integers(2019, 2024), month=st.integers(1, 12),
       count=st.integers(1, 9999), comma=st.sampled_from(["，", ","]))
def test_a_leading_range_gives_its_figures_only_within_the_report_year(start, end, month, count, comma):
    text = f"{start}年{month}月至{end}年12月{comma}共作出行政处罚决定{count}件。"
    expected = count if start == end == 2023 else None
    assert value_at(parse_text(TITLE + text), "penalties.decisions") == expected


@pytest.mark.parametrize("text,path,expected", SCOPE)
def test_section_scope(text, path, expected):
    assert value_at(parse_text(TITLE + text), path) == expected


SYSTEM_BODY = "\n全省生态环境系统作出行政处罚决定912件。其中厅本级作出行政处罚决定12件。\n"


@pytest.mark.parametrize("title, expected", [
    # a report on a whole area's system: the system-wide figures are its values, 本级 a part of them
    ("江西省生态环境厅2023年度全省生态环境行政执法工作报告", 912),
    ("江西省生态环境厅关于2023年度全省行政执法工作情况的报告", 912),
    # the department's own report: its own (本级) figure beats the whole system's
    ("江西省生态环境厅2023年度行政执法工作报告", 12),
])
def test_whole_system_title(title, expected):
    assert value_at(parse_text(title + SYSTEM_BODY), "penalties.decisions") == expected


@pytest.mark.parametrize("table,path,expected,title", TABLES)
def test_table_rows(table, path, expected, title):
    assert value_at(parse_text((title or "某局行政执法工作报告\n\n") + table + "\n"), path) == expected


def test_short_district_only_before_fenju():
    """市公安局 must not become 公安县 because the text mentions 公安县 somewhere."""
    record = parse_text("荆州市公安局2023年度行政执法工作报告\n\n协助公安县开展工作。")
    assert value_at(record, "agency.district") is None
    assert value_at(record, "agency.city") == "荆州市"


def test_signing_organ_names_an_unnamed_report():
    record = parse_text("关于公开2023年度行政执法数据的公告\n\n现将我委2023年度行政执法数据公告如下：持证行政执法人员45人。"
                        "\n\n宁波市卫生健康委员会\n2024年1月25日\n")
    assert value_at(record, "agency.name") == "宁波市卫生健康委员会"
    assert value_at(record, "agency.city") == "宁波市" and value_at(record, "published_on") == "2024-01-25"
    assert record["evidence"]["agency.name"]["rule"] == "document:signing-agency"


# Prose hard-wrapped at a fixed width (a PDF copy): lines break mid-sentence, between a figure
# and its unit, and across a page footer and running header.
WRAPPED = ("　　本年度我局坚持严格规范公正文明执法，全年共开展各类行政检查1,52"
           "0次，作出行政处罚决定84件，罚没金额合计315.6万元，其中警告12件、罚款"
           "70件、没收违法所得2件，均已按规定公示。法制审核人员6名，其中具有法"
           "律职业资格3名。行政许可方面，全年受理各类行政许可申请860件，准予许可"
           "851件，不予许可9件，均在法定期限内办结。全年以本局为被申请人的行政复"
           "议案件4件，维持3件，撤销1件；行政诉讼案件2件，胜诉2件。")


def _wrap(text: str, width: int = 64) -> str:
    """Break the text wherever the next character would pass `width` display columns."""
    lines, line, used = [], "", 0
    for ch in text:
        w = 2 if ord(ch) > 0x2000 else 1
        if used + w > width:
            lines, line, used = lines + [line], "", 0
        line, used = line + ch, used + w
    return "\n".join(lines + [line])


def _page_break(wrapped: str, after_line: int) -> str:
    lines = wrapped.split("\n")
    debris = ["", "— 1 —", "第 1 页 共 2 页", "", "某市某局2023年度行政执法工作报告", ""]
    return "\n".join(lines[:after_line] + debris + lines[after_line:])


@pytest.mark.parametrize("path,expected", [
    ("inspections.total", 1520), ("penalties.fines_yuan", 3156000), ("penalties.fines", 70),
    ("reviews.legal_review.reviewers_qualified", 3), ("permits.granted", 851), ("permits.denied", 9),
    ("reviews.reconsideration.cases", 4), ("permits.accepted", 860),
])
def test_hard_wrapped_prose_reads_as_sentences(path, expected):
    wrapped = _wrap(WRAPPED)
    assert "1,\n520次" in wrapped and "申请860\n件" in wrapped   # breaks the rows are about
    assert value_at(parse_text(TITLE + _page_break(wrapped, 5)), path) == expected


def test_a_paragraph_end_is_not_joined_to_the_next_paragraph():
    """A line at the wrap width that ends a sentence, and an indented next line, stay apart."""
    body = _wrap(WRAPPED).split("\n")
    body.insert(3, "　　" + "二、行政复议情况")
    assert value_at(parse_text(TITLE + "\n".join(body)), "reviews.reconsideration.cases") == 4


@pytest.mark.parametrize("text,clause", [
    ("审核1,091起行政处罚案件", "审核1,091起行政处罚案件"),      # a thousands separator
    ("准予许可1,024件,不予许可7件", "不予许可7件"),              # a comma after the figure
    ("警告2,3件", "3件"),                                        # not three digits: a list
])
def test_clause_of_the_last_character(text, clause):
    from enforcement_parser.engine.readers.sentences import SentenceContext
    from enforcement_parser.engine.segmenting import Segments

    ctx = SentenceContext(Segments(text))
    assert text[ctx.clause_start(len(text) - 1):] == clause


PROBES = ROOT / "tests" / "data" / "probes"
PROBE_EXPECTED = json.loads((PROBES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name, path", [(n, p) for n, fields in PROBE_EXPECTED.items() if not n.startswith("_")
                                        for p in fields])
def test_review_probes(name, path):
    """A reviewer's probes of the scope, whole-outcome, change, 合计, year-gap and wrapping rules."""
    record = parse_text((PROBES / name).read_text(encoding="utf-8"))
    assert value_at(record, path) == PROBE_EXPECTED[name][path]


HEADER_PIECES = ["罚没金额", "（", "）", "(", ")", "万元", "件", "1.", "（一）", "一、", "2023年", "#", "*", " ", "\u3000",
                 "\x1c", "\n", "：", "a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HEADER_PIECES), max_size=12))
def test_header_and_item_label_shortcuts_change_nothing(pieces):
    """split_header searches for a unit note only when the text ends with a bracket, and
    item_label removes the numbering by an anchored match: both as the plain regex calls would."""
    text = "".join(pieces)
    m = tables._UNIT_NOTE.search(text)
    assert split_header(text) == ((text[:m.start()].strip(), m.group("unit").strip()) if m else (text.strip(), None))
    s = templates._YEAR_PREFIX.sub("", templates._ITEM_PREFIX.sub("", text.strip(), count=1), count=1)
    assert item_label(text) == s.strip(" *:：")


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (no "|" inside a group or class splits it)."""
    out, depth, last, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 1
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[last:i])
            last = i + 1
        i += 1
    return out + [pattern[last:]]


@pytest.mark.parametrize("name, words", [
    ("_YEAR_PAIR", ("分别",)), ("_CHANGE_FROM", ("由",)), ("change_to", ("由",)), ("_GAP_YEAR", ("年",)),
    ("_YEAR_WORD", ("年",)),   # (sector and wider: the words they look for are built from their lists)
])
def test_the_sentence_reader_looks_for_words_its_patterns_need(name, words):
    """The sentence reader searches these patterns only when one of `words` is in the text: each
    alternative of the pattern must require one of them (phrases.required_runs)."""
    from enforcement_parser.engine.phrases import required_runs
    from enforcement_parser.engine.readers import sentences

    pattern = getattr(sentences, name, None) or getattr(sentences._words(), name)   # module or data-built
    pattern = pattern.pattern
    for alternative in _alternatives(pattern):
        runs = required_runs(alternative) or ()
        assert any(w in run for run in runs for w in words), (name, alternative, runs)


def test_the_out_of_reach_shortcut_changes_no_record(monkeypatch):
    """The sentence reader drops a figure that no label, list verb or object-first clause can
    name before working out its topic (_Reader._out_of_reach): every sample and probe parses to
    the same record as when each figure goes through every route."""
    from enforcement_parser.engine.readers import sentences

    texts = [p.read_text(encoding="utf-8-sig") for p in sorted([*ROOT.glob("samples/*.txt"), *PROBES.glob("*.txt")])]
    texts += [TITLE + s for s in (   # one for each route that needs no label next to the figure
        "2022年办结行政复议案件2件，2023年1件。",                  # the field named before, for the report year
        "公示行政许可决定1,024件，行政处罚决定55件，另有3件。",     # the verb a list shares
        "对217件轻微违法行为不予行政处罚。",                         # object first, the verb closes the clause
        "对35件行政处罚案件和4件查封扣押决定进行法制审核。",       # a second object in the list
        "全局有5名为公职律师。",                                       # a label a word after the figure
        "全局有5名同志为公职律师。")]                                  # ... and MAX_GAP characters after it
    fired = []
    shortcut = sentences._Reader._out_of_reach

    def counted(*args):
        fired.append(shortcut(*args))
        return fired[-1]

    monkeypatch.setattr(sentences._Reader, "_out_of_reach", counted)
    fast = [parse_text(t) for t in texts]
    monkeypatch.setattr(sentences._Reader, "_out_of_reach", lambda *args: False)
    assert [parse_text(t) for t in texts] == fast
    assert sum(fired) > 100   # it does fire


wrapped = st.lists(st.sampled_from(["罚款1,091起", "行政处罚案件办理情况良好且" * 3, "，", "。", "；", "\n", "\n\n",
                                    "一、行政处罚", "2,3件", "12", ",", "：", " ", "!", "?", ";", "！"]),
                   max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(wrapped)
def test_clause_and_sentence_stops_are_those_of_a_plain_scan(text):
    """SentenceContext takes each line's newline from the line list, and the commas apart: the
    stops are still every stop character, less the newlines inside wrapped prose and the commas
    of thousands."""
    from enforcement_parser.engine.readers.sentences import (CLAUSE_STOPS, SENTENCE_STOPS, SentenceContext,
                                                             _thousands_mark)
    from enforcement_parser.engine.segmenting import Segments

    seg = Segments(text)
    ctx = SentenceContext(seg)
    stops = [i for i, ch in enumerate(text) if ch in CLAUSE_STOPS
             and not (ch == "\n" and ctx._soft(seg.line_index(i)))
             and not (ch in ",，" and _thousands_mark(text, i))]
    assert ctx.clause_stops == stops
    assert ctx.sentence_stops == [i for i in stops if text[i] in SENTENCE_STOPS]
