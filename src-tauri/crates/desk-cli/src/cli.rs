//! The command line's grammar. Help texts are Chinese: the officers read them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "subsidy-desk",
    version,
    about = "扶持资金案件台：公共技术服务平台与工业互联网平台扶持资金的受理、核算、审批与台账",
    long_about = None
)]
pub struct Cli {
    /// 数据库文件（默认在本机用户数据文件夹中；也可用环境变量 SUBSIDY_DESK_DB 指定）
    #[arg(long, global = true, env = "SUBSIDY_DESK_DB", value_name = "文件")]
    pub db: Option<PathBuf>,
    /// 以 JSON 输出，供其他程序读取
    #[arg(long, global = true)]
    pub json: bool,
    /// 操作人姓名，记入审计日志（默认取环境变量 SUBSIDY_DESK_USER 或系统用户名）
    #[arg(long, global = true, env = "SUBSIDY_DESK_USER", value_name = "姓名")]
    pub user: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 创建或升级数据库，显示其位置和版本
    Init,
    /// 企业登记
    #[command(subcommand)]
    Enterprise(EnterpriseCommand),
    /// 平台认定
    #[command(subcommand)]
    Platform(PlatformCommand),
    /// 案件
    #[command(subcommand)]
    Case(CaseCommand),
    /// 立即备份数据库（保留最近若干份）
    Backup {
        /// 保留最近几份备份
        #[arg(long, default_value_t = desk_store::backup::KEEP_BACKUPS, value_name = "份数")]
        keep: usize,
    },
    /// 用备份文件恢复数据库（先校验备份，并先备份当前数据库）
    Restore {
        /// 备份文件
        #[arg(value_name = "备份文件")]
        file: PathBuf,
    },
    /// 全面检查数据库（完整性、版本、数量）
    Check,
    /// 向新数据库装入演示数据：几十家企业、两类平台、多个年度的案件
    Demo,
    /// 按政策条款测算一个案件的最高可补助额（案件文件格式见 CASE-FILE.md）
    Calc {
        /// 案件文件（JSON）
        #[arg(value_name = "案件文件")]
        file: PathBuf,
        /// 以中文逐条说明计算过程，而不是输出 JSON
        #[arg(long)]
        explain: bool,
        /// 假设改变一个值再算一次，逐条对比，如 parameters.8.rate=0.15 或 items[0].leases[0].area_m2=1500（可重复）
        #[arg(long = "what-if", value_name = "路径=值")]
        what_if: Vec<String>,
    },
    /// 两业融合试点（zs-fusion-2020）申报条件核查
    CheckPilot {
        /// 申报主体文件（JSON）
        #[arg(value_name = "申报主体文件")]
        file: PathBuf,
    },
    /// 生成企业填报用的申报模板（Excel）
    Template {
        /// 政策：zs-ptsp-2018 或 zs-iip-2021
        #[arg(value_name = "政策")]
        programme: String,
        /// 只包含这些条款，如 6.2,6.5（不填则包含全部条款）
        #[arg(long, value_delimiter = ',', value_name = "条款")]
        clauses: Vec<String>,
        /// 保存到的文件，如 申报表.xlsx
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 导入企业填报的申报表（可一次导入多个文件或整个文件夹）
    Import {
        #[arg(value_name = "文件或文件夹", required = true, help = import_files_help())]
        files: Vec<PathBuf>,
        /// 只检查，不写入数据库
        #[arg(long)]
        dry_run: bool,
        /// 输出计算所用的案件文件（计算器输入；--keep-record 时平台信息取自登记信息）
        #[arg(long)]
        print_case: bool,
        /// 有错误时，保存标注了错误单元格的副本（多个文件时为文件夹，不存在则新建），用于退回补正
        #[arg(long, value_name = "文件")]
        errors_out: Option<PathBuf>,
        /// 申报表的企业或平台信息（名称、认定日期、实缴注册资本等）与登记信息不一致时，以申报表更正登记信息（记入操作日志，原因“申报表更正”），按更正后的信息计算
        #[arg(long, conflicts_with = "keep_record")]
        update_record: bool,
        /// 申报表的企业或平台信息与登记信息不一致时，保留登记信息，按登记信息计算（--dry-run --print-case 显示所用信息）
        #[arg(long)]
        keep_record: bool,
    },
    /// 导出某申报年度的台账（Excel）：逐项明细，按政策、条款、镇街汇总
    Ledger {
        /// 申报年度
        #[arg(long, value_name = "年度")]
        year: i32,
        /// 只导出某政策（zs-ptsp-2018 或 zs-iip-2021）
        #[arg(long, value_name = "政策")]
        programme: Option<String>,
        /// 只导出某镇街
        #[arg(long, value_name = "镇街")]
        town: Option<String>,
        /// 保存到的文件，如 台账.xlsx
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 打印审批表（PDF，A4）：一个案件，或一个批次的全部案件（每案另起一页）
    Print {
        /// 案件编号（如 PTSP-2020-0001）
        #[arg(
            value_name = "案件",
            required_unless_present = "batch",
            conflicts_with = "batch"
        )]
        case: Option<String>,
        /// 批次，如 2022年第1批
        #[arg(long, value_name = "批次")]
        batch: Option<String>,
        /// 保存到的文件，如 审批表.pdf
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 出具通知书（PDF）：受理、补正（按申报表逐格列出）、审批结果
    Notice {
        /// 种类：受理、补正、结果（acceptance、correction、result）
        #[arg(value_name = "种类")]
        kind: String,
        /// 案件编号（受理、结果通知书）
        #[arg(value_name = "案件")]
        case: Option<String>,
        /// 申报表文件（补正通知书）
        #[arg(long, value_name = "文件")]
        file: Option<PathBuf>,
        /// 保存到的文件，如 通知书.pdf
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 政策参数：查看各参数的现行值与依据，设定本局的取值（如 zs-iip-2021 第8条的补助比例）
    #[command(subcommand)]
    Parameter(ParameterCommand),
    /// 政策条款目录：条款、出处、原文和参数
    Policy {
        /// 政策编号（zs-ptsp-2018 或 zs-iip-2021）；不填则列出全部
        #[arg(value_name = "政策")]
        programme: Option<String>,
        /// 条款编号，显示该条的原文和参数
        #[arg(value_name = "条款")]
        clause: Option<String>,
    },
}

impl Command {
    /// The command's name as typed (`import`, `case`), to tell another program waiting for this one.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Init => "init",
            Command::Enterprise(_) => "enterprise",
            Command::Platform(_) => "platform",
            Command::Case(_) => "case",
            Command::Backup { .. } => "backup",
            Command::Restore { .. } => "restore",
            Command::Check => "check",
            Command::Demo => "demo",
            Command::Calc { .. } => "calc",
            Command::CheckPilot { .. } => "check-pilot",
            Command::Template { .. } => "template",
            Command::Import { .. } => "import",
            Command::Ledger { .. } => "ledger",
            Command::Print { .. } => "print",
            Command::Notice { .. } => "notice",
            Command::Policy { .. } => "policy",
            Command::Parameter(_) => "parameter",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ParameterCommand {
    /// 列出政策参数：名称、单位、某日的现行值、依据、来源（政策目录或本局设定）
    List {
        /// 政策：zs-ptsp-2018 或 zs-iip-2021（不填则列出全部）
        #[arg(value_name = "政策")]
        programme: Option<String>,
        /// 按这一天的现行值列出 YYYY-MM-DD（默认今天；案件按申报年度的1月1日取值）
        #[arg(long, value_name = "日期")]
        on: Option<String>,
    },
    /// 设定本局的参数值，自某日起生效（记入审计日志；已有的值不改，以新的生效日期取代）
    Set {
        /// 政策：zs-ptsp-2018 或 zs-iip-2021
        #[arg(value_name = "政策")]
        programme: String,
        /// 参数，如 8.rate；政策有效期为 programme.valid_from、programme.valid_to（见 parameter list）
        #[arg(value_name = "参数")]
        key: String,
        /// 取值：比例写小数或百分数（0.15 或 15%），金额以元计，有效期写日期 YYYY-MM-DD
        #[arg(value_name = "取值")]
        value: String,
        /// 生效日期 YYYY-MM-DD：适用于申报年度1月1日不早于此日的案件（programme.valid_from /
        /// programme.valid_to 的取值本身即日期，不用此项）
        #[arg(long, value_name = "日期")]
        from: Option<String>,
        /// 依据：设定该值的文件或会议纪要（文号）
        #[arg(long, value_name = "依据")]
        reference: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum EnterpriseCommand {
    /// 登记企业
    Add(EnterpriseAdd),
    /// 列出企业
    List {
        /// 只列出某镇街的企业
        #[arg(long, value_name = "镇街")]
        town: Option<String>,
        /// 名称或统一社会信用代码中包含的文字
        #[arg(long, value_name = "关键字")]
        search: Option<String>,
    },
    /// 查看企业及其平台、案件
    Show {
        /// 统一社会信用代码
        #[arg(value_name = "统一社会信用代码")]
        credit_code: String,
    },
}

#[derive(Debug, Args)]
pub struct EnterpriseAdd {
    /// 统一社会信用代码（18位）
    #[arg(long, value_name = "代码")]
    pub credit_code: String,
    /// 企业名称
    #[arg(long, value_name = "名称")]
    pub name: String,
    /// 所在镇街（如 小榄镇、火炬开发区）
    #[arg(long, value_name = "镇街")]
    pub town: String,
    /// 地址
    #[arg(long, default_value = "", value_name = "地址")]
    pub address: String,
    /// 联系人
    #[arg(long, default_value = "", value_name = "姓名")]
    pub contact_person: String,
    /// 联系电话
    #[arg(long, default_value = "", value_name = "电话")]
    pub contact_phone: String,
}

#[derive(Debug, Subcommand)]
pub enum PlatformCommand {
    /// 登记平台认定
    Add(PlatformAdd),
    /// 列出平台认定
    List {
        /// 只列出某政策的平台（zs-ptsp-2018 或 zs-iip-2021）
        #[arg(long, value_name = "政策")]
        programme: Option<String>,
        /// 只列出某企业（统一社会信用代码）的平台
        #[arg(long, value_name = "代码")]
        enterprise: Option<String>,
    },
    /// 平台的历史核定金额（计算器的 history 输入）
    History {
        /// 平台编号
        #[arg(value_name = "平台编号")]
        platform: i64,
    },
}

#[derive(Debug, Args)]
pub struct PlatformAdd {
    /// 运营企业的统一社会信用代码
    #[arg(long, value_name = "代码")]
    pub enterprise: String,
    /// 认定所依据的政策：zs-ptsp-2018 或 zs-iip-2021
    #[arg(long, value_name = "政策")]
    pub programme: String,
    /// 平台名称
    #[arg(long, value_name = "名称")]
    pub name: String,
    /// 平台类别 0–24（zs-ptsp-2018）
    #[arg(long, value_name = "类别")]
    pub category: Option<String>,
    /// 平台级别 benchmark（标杆平台）或 municipal（市级平台）（zs-iip-2021）
    #[arg(long, value_name = "级别")]
    pub level: Option<String>,
    /// 认定日期 YYYY-MM-DD
    #[arg(long, value_name = "日期")]
    pub recognized_on: String,
    /// 实缴注册资本（元）
    #[arg(long, value_name = "金额", allow_hyphen_values = true)]
    pub paid_in_capital: Option<String>,
    /// 其中财政资金实缴出资（元）
    #[arg(long, value_name = "金额", allow_hyphen_values = true)]
    pub fiscal_paid_in_capital: Option<String>,
    /// 由市外迁入总部
    #[arg(long)]
    pub relocated_hq: bool,
    /// 信息系统上线日期 YYYY-MM-DD
    #[arg(long, value_name = "日期")]
    pub system_live_on: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// 新建案件
    New {
        /// 平台编号（见 platform list）
        #[arg(long, value_name = "平台编号")]
        platform: i64,
        /// 申报年度
        #[arg(long, value_name = "年度")]
        year: i32,
        /// 批次
        #[arg(long, default_value = "", value_name = "批次")]
        batch: String,
        /// 经办人（默认为操作人）
        #[arg(long, value_name = "姓名")]
        officer: Option<String>,
        /// 受理日期 YYYY-MM-DD（默认今天）
        #[arg(long, value_name = "日期")]
        received_on: Option<String>,
    },
    /// 案件列表（可筛选、搜索、分页）
    List(CaseList),
    /// 按政策条款计算案件各项目的最高可补助额，并记入案件
    Calc {
        /// 案件编号（如 PTSP-2020-0001）或内部编号
        #[arg(value_name = "案件")]
        case: String,
    },
    /// 查看案件：申报项目、核定金额、拨付与审计记录
    Show {
        /// 案件编号（如 PTSP-2020-0001）或内部编号
        #[arg(value_name = "案件")]
        case: String,
    },
    /// 推进案件状态（如 verifying / 核查中、reviewing、approving、approved）
    Move {
        /// 案件编号（如 PTSP-2020-0001）或内部编号
        #[arg(value_name = "案件")]
        case: String,
        /// 新状态
        #[arg(value_name = "状态")]
        status: String,
    },
    /// 核定一个申报项目的金额（不超过最高可补助额与申请金额中较小者；低于它须写核减理由）
    Approve {
        /// 案件编号（如 PTSP-2020-0001）或内部编号
        #[arg(value_name = "案件")]
        case: String,
        /// 项目序号（见 case show 的“序号”）
        #[arg(long, value_name = "序号")]
        item: i64,
        /// 核定金额（元）
        #[arg(long, value_name = "金额")]
        amount: String,
        /// 核减理由（核定金额低于上限时必填）
        #[arg(long, default_value = "", value_name = "理由")]
        reason: String,
    },
    /// 对一个申报单元（一份租赁、贷款、合同、一家服务企业）不予认定并写明理由，或撤销；随即重新计算
    RefuseUnit {
        /// 案件编号（如 IIP-2022-0001）或内部编号
        #[arg(value_name = "案件")]
        case: String,
        /// 项目序号（见 case show 的“序号”）
        #[arg(long, value_name = "序号")]
        item: i64,
        /// 明细（如 contracts、leases、loans、enterprises）
        #[arg(long, value_name = "明细")]
        list: String,
        /// 第几行（从 1 起，与案件详情的行号一致）
        #[arg(long, value_name = "行号")]
        row: usize,
        /// 不予认定理由（如“缺少验收报告”）
        #[arg(long, value_name = "理由", required_unless_present = "undo")]
        reason: Option<String>,
        /// 撤销该单元的不予认定
        #[arg(long, conflicts_with = "reason")]
        undo: bool,
    },
    /// 补录或更正一个申报项目的申请金额（规则实施前导入、缺少申请金额的项目须先补录才能核定）
    SetRequest {
        /// 案件编号（如 PTSP-2020-0001）或内部编号
        #[arg(value_name = "案件")]
        case: String,
        /// 项目序号（见 case show 的“序号”）
        #[arg(long, value_name = "序号")]
        item: i64,
        /// 申请金额（元）
        #[arg(long, value_name = "金额")]
        amount: String,
    },
}

#[derive(Debug, Args)]
pub struct CaseList {
    /// 政策：zs-ptsp-2018 或 zs-iip-2021
    #[arg(long, value_name = "政策")]
    pub programme: Option<String>,
    /// 申报年度
    #[arg(long, value_name = "年度")]
    pub year: Option<i32>,
    /// 批次（如 2022年第1批）
    #[arg(long, value_name = "批次")]
    pub batch: Option<String>,
    /// 申报企业所在镇街
    #[arg(long, value_name = "镇街")]
    pub town: Option<String>,
    /// 状态（如 approved 或 已批准）
    #[arg(long, value_name = "状态")]
    pub status: Option<String>,
    /// 经办人姓名
    #[arg(long, value_name = "经办人")]
    pub officer: Option<String>,
    /// 只列办理中的案件（未批准、未不予支持、未撤回）
    #[arg(long)]
    pub open: bool,
    /// 按受理日期从早到晚排列（默认从晚到早），先看最早到期的
    #[arg(long)]
    pub oldest_first: bool,
    /// 企业或平台名称、信用代码开头、案件编号
    #[arg(long, value_name = "关键字")]
    pub search: Option<String>,
    /// 页码（从 1 开始）
    #[arg(long, default_value_t = 1, value_name = "页码")]
    pub page: u32,
    /// 每页条数（最多 500）
    #[arg(long, default_value_t = 50, value_name = "每页条数")]
    pub page_size: u32,
}

/// The import's files: the formats from desk-sheets' one list.
fn import_files_help() -> String {
    format!(
        "申报表文件（{}）或文件夹（含子文件夹；跳过隐藏文件夹和 ~$ 开头的临时文件）",
        desk_sheets::formats_text()
    )
}
