<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Alerts</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Machine</source>
        <translation>机位</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>考生</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>A proctor has seen the selected alert and deals with it; recorded with your names</source>
        <translation>监考员已看到所选提醒并处理；记录签到监考员姓名</translation>
    </message>
    <message>
        <source>Open alerts: {n}</source>
        <translation>待处理提醒：{n}</translation>
    </message>
    <message>
        <source>Acknowledge this alert (Ctrl+Enter); recorded with your names</source>
        <translation>确认这条提醒（Ctrl+Enter），记录监考员姓名</translation>
    </message>
    <message>
        <source>Handle the incident…</source>
        <translation>应急处理…</translation>
    </message>
    <message>
        <source>Open the incident guide (Ctrl+Shift+H)</source>
        <translation>打开应急处理流程（Ctrl+Shift+H）</translation>
    </message>
    <message>
        <source>Open the list of alerts (F4)</source>
        <translation>打开提醒列表（F4）</translation>
    </message>
    <message>
        <source>All alerts ({n})</source>
        <translation>全部提醒（{n}）</translation>
    </message>
</context>
<context>
    <name>CandidatePanel</name>
    <message>
        <source>The photo in the exam package cannot be read</source>
        <translation>考务数据中的照片无法读取</translation>
    </message>
    <message>
        <source>No photo in the exam package</source>
        <translation>考务数据中无照片</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>考生信息</translation>
    </message>
    <message>
        <source>Operations</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>考生记录</translation>
    </message>
    <message>
        <source>Close the candidate panel</source>
        <translation>关闭考生详情</translation>
    </message>
    <message>
        <source>Time left to this candidate, extra time included</source>
        <translation>此考生的剩余时间，含补时</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>ID no.</source>
        <translation>证件号</translation>
    </message>
    <message>
        <source>Seat</source>
        <translation>座位</translation>
    </message>
    <message>
        <source>Exam machine</source>
        <translation>考试机</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已答</translation>
    </message>
    <message>
        <source>Extra time</source>
        <translation>补时</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>最后联系</translation>
    </message>
    <message>
        <source>Last save</source>
        <translation>最后保存</translation>
    </message>
    <message>
        <source>Logged in at</source>
        <translation>登录时间</translation>
    </message>
    <message>
        <source>Show full ID no.</source>
        <translation>显示完整证件号</translation>
    </message>
    <message>
        <source>Ticket no. {ticket}</source>
        <translation>准考证号 {ticket}</translation>
    </message>
    <message>
        <source>Given at login (overbooked room)</source>
        <translation>登录后显示机位号（考场超排）</translation>
    </message>
    <message>
        <source>Not reported by the exam machine</source>
        <translation>考试机未报告</translation>
    </message>
    <message>
        <source>{n} questions</source>
        <translation>{n} 题</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>No candidate with ticket no. {ticket} in this room</source>
        <translation>本考场没有准考证号为 {ticket} 的考生</translation>
    </message>
    <message>
        <source>Click a seat or a row to see a candidate</source>
        <translation>点击座位或表格中的一行查看考生</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>{machine} (not the assigned seat)</source>
        <translation>{machine}（座位不符）</translation>
    </message>
    <message>
        <source>Offline since {t}</source>
        <translation>离线，自 {t} 起</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Connected now</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>{t}, save {n}</source>
        <translation>{t}，第 {n} 次保存</translation>
    </message>
    <message>
        <source>Save {n}</source>
        <translation>第 {n} 次保存</translation>
    </message>
    <message>
        <source>No save yet</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Mask the ID number again now</source>
        <translation>立即重新遮蔽证件号</translation>
    </message>
    <message>
        <source>Show the whole ID number for {s} s; the room server records who asked</source>
        <translation>显示完整证件号 {s} 秒；考场服务器记录查看人</translation>
    </message>
    <message>
        <source>Masked again in {s} s</source>
        <translation>{s} 秒后重新遮蔽</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>A proctor has seen this alert and deals with it; recorded with your names</source>
        <translation>监考员已看到此提醒并处理；记录中写明你们的姓名</translation>
    </message>
    <message>
        <source>Open alerts about this candidate:</source>
        <translation>此考生的待处理提醒：</translation>
    </message>
    <message>
        <source>No open alert about this candidate.</source>
        <translation>此考生没有待处理的提醒。</translation>
    </message>
    <message>
        <source>Submitted at</source>
        <translation>交卷时间</translation>
    </message>
    <message>
        <source>Remaining time</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Remaining time (not started)</source>
        <translation>剩余时间（未开考）</translation>
    </message>
    <message>
        <source>Remaining time: time is up</source>
        <translation>剩余时间：已到时</translation>
    </message>
    <message>
        <source>Own end {t}</source>
        <translation>本人结束时间 {t}</translation>
    </message>
    <message>
        <source> (with {n} min extra time)</source>
        <translation>（含补时 {n} 分钟）</translation>
    </message>
    <message>
        <source>The timeline shows once this console is connected to the room server.</source>
        <translation>监考机连接考场服务器后显示考生记录。</translation>
    </message>
    <message>
        <source>Reading the timeline from the room server…</source>
        <translation>正在从考场服务器读取考生记录…</translation>
    </message>
    <message>
        <source>Nothing recorded for this candidate yet.</source>
        <translation>此考生尚无记录。</translation>
    </message>
    <message>
        <source>The timeline could not be read: {error}. It is read again at the next change.</source>
        <translation>无法读取考生记录：{error}。下次有变化时将重新读取。</translation>
    </message>
</context>
<context>
    <name>CandidateTable</name>
    <message>
        <source>Machine</source>
        <translation>考试机</translation>
    </message>
    <message>
        <source>Seat</source>
        <translation>座位</translation>
    </message>
    <message>
        <source>Ticket no.</source>
        <translation>准考证号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>ID no.</source>
        <translation>证件号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已作答</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>最后通信</translation>
    </message>
    <message>
        <source>Extra time</source>
        <translation>补时</translation>
    </message>
    <message>
        <source>Logged in at</source>
        <translation>登录时间</translation>
    </message>
    <message>
        <source>Time left to answer, on the exam clock (extra time included)</source>
        <translation>剩余作答时间，按考试时钟计（含补时）</translation>
    </message>
    <message>
        <source>Questions answered, as the exam machine reports them</source>
        <translation>已作答题数，由考试机报告</translation>
    </message>
    <message>
        <source>When the exam machine last logged in, saved, submitted or reconnected for them</source>
        <translation>考试机最后一次为该考生登录、保存、交卷或重新连接的时间</translation>
    </message>
    <message>
        <source>Masked but for the region code and the last four; Ctrl+I shows it whole (recorded with your names)</source>
        <translation>证件号已遮蔽，仅显示前六位和后四位；按 Ctrl+I 显示完整号码（记录监考员姓名）</translation>
    </message>
    <message>
        <source>Shown whole for {s} s at the proctors&apos; request; recorded with their names</source>
        <translation>应监考员要求显示完整证件号 {s} 秒；已记录监考员姓名</translation>
    </message>
    <message>
        <source>{n} questions</source>
        <translation>{n} 题</translation>
    </message>
    <message>
        <source>+{n} min</source>
        <translation>+{n} 分钟</translation>
    </message>
    <message>
        <source>The exam machine has stopped answering</source>
        <translation>考试机已失去联系</translation>
    </message>
    <message>
        <source>Extra time: {n} min</source>
        <translation>补时：{n} 分钟</translation>
    </message>
    <message>
        <source>Submitted at {t}</source>
        <translation>交卷时间 {t}</translation>
    </message>
    <message>
        <source>Ends at {t}</source>
        <translation>结束时间 {t}</translation>
    </message>
    <message>
        <source>Saved {n} times</source>
        <translation>已保存 {n} 次</translation>
    </message>
</context>
<context>
    <name>CandidatesPane</name>
    <message>
        <source>Search name, ticket no., machine or ID last 4 (Ctrl+F)</source>
        <translation>搜索姓名、准考证号、考试机或证件号后四位（Ctrl+F）</translation>
    </message>
    <message>
        <source>Show only candidates in one state, or with one flag</source>
        <translation>只显示某一状态或带某一标记的考生</translation>
    </message>
    <message>
        <source>All candidates</source>
        <translation>全部考生</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>须处理</translation>
    </message>
    <message>
        <source>An open alert, offline, away, a violation, a wrong seat or a duplicate login</source>
        <translation>有待确认的提醒、离线、暂离、违纪、座位不符或重复登录</translation>
    </message>
    <message>
        <source>Present</source>
        <translation>实到</translation>
    </message>
    <message>
        <source>Everyone who has logged in, whatever they do now</source>
        <translation>已登录过的全部考生（不论现在的状态）</translation>
    </message>
    <message>
        <source>Show whole ID number</source>
        <translation>显示完整证件号</translation>
    </message>
    <message>
        <source>Shows the selected candidate&apos;s whole ID number for {s} s; recorded with your names</source>
        <translation>显示所选考生的完整证件号 {s} 秒；记录监考员姓名</translation>
    </message>
    <message>
        <source>Find a candidate</source>
        <translation>查找考生</translation>
    </message>
    <message>
        <source>{shown} of {total} shown</source>
        <translation>显示 {shown} / {total} 人</translation>
    </message>
</context>
<context>
    <name>Closing</name>
    <message>
        <source>Every candidate&apos;s time over, standalone answers recovered</source>
        <translation>考试时间结束，单机考试作答数据已回收</translation>
    </message>
    <message>
        <source>Candidates transferred out received or settled</source>
        <translation>调出考生均已被调入或已处理</translation>
    </message>
    <message>
        <source>Absence records reviewed</source>
        <translation>核对缺考记录</translation>
    </message>
    <message>
        <source>Violation records reviewed</source>
        <translation>核对违纪记录</translation>
    </message>
    <message>
        <source>Exceptions reviewed</source>
        <translation>核对异常情况</translation>
    </message>
    <message>
        <source>Answer sets recovered = candidates who sat</source>
        <translation>回收作答数据人数与实考人数一致</translation>
    </message>
    <message>
        <source>End of the exam</source>
        <translation>结束考试</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>已核对</translation>
    </message>
    <message>
        <source>End the exam</source>
        <translation>结束考试</translation>
    </message>
    <message>
        <source>Backup folder on this computer (the USB stick)</source>
        <translation>本机上的备份文件夹（移动存储介质）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Back up</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Before 结束考试: recover standalone answers, check the absence and violation records and the number of answer sets (R27); within 30 minutes of the end, back up the exam data (R15), encrypted (R56)</source>
        <translation>结束考试前：回收单机考试作答数据，核对缺考和违纪记录及回收作答数据人数（R27）；考试结束后 30 分钟内备份考试数据（R15），备份经加密（R56）</translation>
    </message>
    <message>
        <source>Every sitting&apos;s exam is ended</source>
        <translation>各场次均已结束考试</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>考试尚未开始</translation>
    </message>
    <message>
        <source>Sitting {n}</source>
        <translation>第 {n} 场</translation>
    </message>
    <message>
        <source>Sitting {n}: exam ended. Back up within 30 minutes (R15).</source>
        <translation>第 {n} 场已结束考试，请在 30 分钟内备份（R15）。</translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <source>Choose the backup folder first</source>
        <translation>请先选择备份文件夹</translation>
    </message>
    <message>
        <source>Backed up, encrypted: {path} ({mb:.1f} MB)</source>
        <translation>已加密备份：{path}（{mb:.1f} MB）</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>Not done</source>
        <translation>操作未执行</translation>
    </message>
    <message>
        <source>Not connected to the room server; nothing was done</source>
        <translation>未连接考场服务器，操作未执行</translation>
    </message>
    <message>
        <source>The command failed: {error}</source>
        <translation>操作失败：{error}</translation>
    </message>
</context>
<context>
    <name>DelayedStart</name>
    <message>
        <source>Power failure</source>
        <translation>停电</translation>
    </message>
    <message>
        <source>Network failure</source>
        <translation>网络故障</translation>
    </message>
    <message>
        <source>Another cause (say which in the note)</source>
        <translation>其他原因（请在备注中写明）</translation>
    </message>
    <message>
        <source>Delayed start</source>
        <translation>延时开考</translation>
    </message>
    <message>
        <source> min after the scheduled start</source>
        <translation> 分钟（统一开考后）</translation>
    </message>
    <message>
        <source>What happened, e.g. the room&apos;s switch failed at 08:52</source>
        <translation>发生了什么，如：08:52 考场交换机故障</translation>
    </message>
    <message>
        <source>Name of the city exam office&apos;s person who consented</source>
        <translation>地市级考试机构同意人姓名</translation>
    </message>
    <message>
        <source>Delay the start (Enter)</source>
        <translation>延时开考（Enter）</translation>
    </message>
    <message>
        <source>&amp;Delay:</source>
        <translation>延迟(&amp;D)：</translation>
    </message>
    <message>
        <source>R&amp;eason:</source>
        <translation>原因(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Consent by:</source>
        <translation>同意人(&amp;C)：</translation>
    </message>
    <message>
        <source>Read the room, the request code and the minutes to the provincial exam office by phone and enter the authorization code it reads back.</source>
        <translation>请电话向省级考试机构报考场、申请码和延迟分钟数，并输入其报回的授权码。</translation>
    </message>
    <message>
        <source>Sitting {n}, {subject}: scheduled start {at}</source>
        <translation>第 {n} 场 {subject}：统一开考 {at}</translation>
    </message>
    <message>
        <source>; now starts at {at} ({m} min later)</source>
        <translation>；当前 {at} 开考（延迟 {m} 分钟）</translation>
    </message>
    <message>
        <source>; the new start would be {at}</source>
        <translation>；延时后 {at} 开考</translation>
    </message>
    <message>
        <source>The sitting has started: a delayed start is only before the start; time lost after it is made good as extra time (R16, R19)</source>
        <translation>本场次已开考：延时开考仅限开考前；开考后损失的考试时间按补时处理（R16、R19）</translation>
    </message>
    <message>
        <source>Delayed start of {m} min: within {city} min after the scheduled start, with the consent of the city-level exam office (R16)</source>
        <translation>延迟开考 {m} 分钟：统一开考后 {city} 分钟之内，须经地市级考试机构同意（R16）</translation>
    </message>
    <message>
        <source>Delayed start of {m} min: {city} to {top} min after the scheduled start needs a provincial authorization code (R17)</source>
        <translation>延迟开考 {m} 分钟：统一开考后 {city} 至 {top} 分钟须省级授权码（R17）</translation>
    </message>
    <message>
        <source>Delayed start of {m} min: later than {top} min after the scheduled start, report to the ministry&apos;s centre, which decides; this console cannot give it (R18)</source>
        <translation>延迟开考 {m} 分钟：晚于统一开考后 {top} 分钟，须向部中心汇报，视情况处理；本机不能发出开考指令（R18）</translation>
    </message>
    <message>
        <source>This exam has no delayed start by consent or code: a fault before the start solved within {stop} min of it goes on with the exam time extended; otherwise the exam office stops the exam</source>
        <translation>本考试没有经同意或凭授权码延时开考的规定：开考前发生的故障在考试开始后 {stop} 分钟内解决的，考试继续进行、考试时间相应延长；否则由财政部考办宣布停止考试</translation>
    </message>
    <message>
        <source>Enter the authorization code the provincial exam office gave</source>
        <translation>请输入省级考试机构给出的授权码</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Cancel (Esc)</source>
        <translation>取消（Esc）</translation>
    </message>
    <message>
        <source>Request authorization code (Ctrl+R)</source>
        <translation>申请授权码（Ctrl+R）</translation>
    </message>
    <message>
        <source>Authorization code from the provincial exam office</source>
        <translation>省级考试机构给出的授权码</translation>
    </message>
    <message>
        <source>&amp;Authorization code:</source>
        <translation>授权码(&amp;A)：</translation>
    </message>
    <message>
        <source>Tries left for this request: {n}</source>
        <translation>本申请还可输入 {n} 次</translation>
    </message>
</context>
<context>
    <name>Drill</name>
    <message>
        <source>Drill score</source>
        <translation>演练评分</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>考场</translation>
    </message>
    <message>
        <source>Trainees</source>
        <translation>参演人员</translation>
    </message>
    <message>
        <source>Scored at</source>
        <translation>评分时间</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>评分项</translation>
    </message>
    <message>
        <source>What the log shows</source>
        <translation>日志记录</translation>
    </message>
    <message>
        <source>Trainees&apos; signatures:</source>
        <translation>参演人员签字：</translation>
    </message>
    <message>
        <source>Drill lead&apos;s signature:</source>
        <translation>演练负责人签字：</translation>
    </message>
    <message>
        <source>Score (Enter)</source>
        <translation>评分 (Enter)</translation>
    </message>
    <message>
        <source>Save as PDF to print…</source>
        <translation>保存为 PDF 以打印…</translation>
    </message>
    <message>
        <source>Drill:</source>
        <translation>演练：</translation>
    </message>
    <message>
        <source>Save the drill score</source>
        <translation>保存演练评分</translation>
    </message>
    <message>
        <source>Could not write {path}: choose a folder you can write to</source>
        <translation>无法写入 {path}：请选择可写入的文件夹</translation>
    </message>
</context>
<context>
    <name>ExtraTime</name>
    <message>
        <source>Extra time</source>
        <translation>补时</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Time lost through the candidate&apos;s own error earns no extra time (R22): choose the fault or incident</source>
        <translation>因考生自身操作失误造成的时间损失不予补时（R22）：请选择具体的故障或突发事件</translation>
    </message>
    <message>
        <source>Which incident or fault, and who approved it</source>
        <translation>哪项故障或突发事件，经谁批准</translation>
    </message>
    <message>
        <source>Grant extra time (Enter)</source>
        <translation>确认补时 (Enter)</translation>
    </message>
    <message>
        <source>&amp;Minutes:</source>
        <translation>补时分钟数(&amp;M)：</translation>
    </message>
    <message>
        <source>R&amp;eason:</source>
        <translation>原因(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
    <message>
        <source>Read the request code to the provincial exam office by phone and enter the authorization code it reads back.</source>
        <translation>请电话向省级考试机构报读申请码，并输入其报回的授权码。</translation>
    </message>
    <message>
        <source>Extra time for {name} ({ticket}), {extra} min given so far</source>
        <translation>为 {name}（{ticket}）补时，已补时 {extra} 分钟</translation>
    </message>
    <message>
        <source>Extra time for {n} candidates: {names}</source>
        <translation>为 {n} 名考生补时：{names}</translation>
    </message>
    <message>
        <source>Extra time in all {total} min: the proctors grant it directly (R19)</source>
        <translation>累计补时 {total} 分钟：监考员可直接补时（R19）</translation>
    </message>
    <message>
        <source>Extra time in all {total} min: above {direct} min it needs a provincial authorization code (R20)</source>
        <translation>累计补时 {total} 分钟，超过 {direct} 分钟需省级授权码（R20）</translation>
    </message>
    <message>
        <source>Extra time in all {total} min, above {top} min: ask the ministry&apos;s centre for its own tool; this console cannot grant it (R21)</source>
        <translation>累计补时 {total} 分钟，超过 {top} 分钟：须向部中心申请专用工具，本机不能补时（R21）</translation>
    </message>
    <message>
        <source>This profile has no minute tiers: extra time for the time lost; a keyboard, mouse, screen or software fault only with the approval written in the note, a power failure as the exam office directs (R23)</source>
        <translation>本规则不分时长档次：按损失的时间补时；外设或软件故障须经批准并在备注中写明批准人，断电按上级考试机构的指令补时（R23）</translation>
    </message>
    <message>
        <source>Enter the authorization code the provincial exam office gave</source>
        <translation>请输入省级考试机构给出的授权码</translation>
    </message>
</context>
<context>
    <name>Fingerprint</name>
    <message>
        <source>Exam package fingerprint</source>
        <translation>考场数据校验码</translation>
    </message>
    <message>
        <source>Scan or read the code aloud and compare it with the site&apos;s published room arrangement before the exam.</source>
        <translation>正式考试前请扫码校验考场数据（或读出校验码），与考点公布的考场编排核对一致。</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <source>Expected</source>
        <translation>应到</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>已登录</translation>
    </message>
    <message>
        <source>Answering</source>
        <translation>作答中</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>已交卷</translation>
    </message>
    <message>
        <source>Not in yet</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Absent</source>
        <translation>缺考</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Candidates of this sitting in this room</source>
        <translation>本考场本场次的考生人数</translation>
    </message>
    <message>
        <source>Candidates who have logged in (answering and submitted included)</source>
        <translation>已登录过的考生（含作答中、已交卷）</translation>
    </message>
    <message>
        <source>Candidates answering now</source>
        <translation>正在作答的考生</translation>
    </message>
    <message>
        <source>Candidates who have submitted, by themselves or at their end</source>
        <translation>已交卷的考生（本人交卷或到时自动交卷）</translation>
    </message>
    <message>
        <source>Candidates who have not logged in yet; absent if still so at sign-in close</source>
        <translation>尚未登录的考生；停止登录时仍未登录即按缺考处理</translation>
    </message>
    <message>
        <source>Not logged in when sign-in closed</source>
        <translation>停止登录时仍未登录的考生</translation>
    </message>
    <message>
        <source>Logged-in candidates whose exam machine stopped answering</source>
        <translation>已登录但考试机失去联系的考生</translation>
    </message>
    <message>
        <source>Alerts waiting for a proctor to acknowledge them</source>
        <translation>等待监考员确认的提醒</translation>
    </message>
    <message>
        <source>Click to list them</source>
        <translation>点击在考生列表中列出</translation>
    </message>
    <message>
        <source>Login opens</source>
        <translation>开始登录</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开考</translation>
    </message>
    <message>
        <source>Sign-in closes</source>
        <translation>停止登录</translation>
    </message>
    <message>
        <source>Submission opens</source>
        <translation>允许交卷</translation>
    </message>
    <message>
        <source>Remind candidates: {min} minutes left</source>
        <translation>提醒考生：距考试结束还有{min}分钟</translation>
    </message>
    <message>
        <source>End</source>
        <translation>考试结束</translation>
    </message>
    <message>
        <source>Last extra time ends</source>
        <translation>补时考生考试结束</translation>
    </message>
    <message>
        <source>Login opens in {left}</source>
        <translation>距开始登录 {left}</translation>
    </message>
    <message>
        <source>Submission opens in {left}</source>
        <translation>距允许交卷 {left}</translation>
    </message>
    <message>
        <source>{min}-minute reminder in {left}</source>
        <translation>距结束前{min}分钟提醒 {left}</translation>
    </message>
    <message>
        <source>Extra time ends in {left}</source>
        <translation>距补时结束 {left}</translation>
    </message>
    <message>
        <source>Candidates: {label}</source>
        <translation>考生：{label}</translation>
    </message>
    <message>
        <source>{n} more</source>
        <translation>另有 {n} 项</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Exam time, as kept by the room server</source>
        <translation>考试时间（以考场服务器的时钟为准）</translation>
    </message>
    <message>
        <source>Package code</source>
        <translation>考场数据校验码</translation>
    </message>
    <message>
        <source>Compare with the site&apos;s published arrangement</source>
        <translation>请与考点公布的考场编排核对</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>二维码</translation>
    </message>
    <message>
        <source>Show the package fingerprint as a QR code for the site&apos;s scan</source>
        <translation>以二维码显示考场数据校验码，供考点扫码核对</translation>
    </message>
    <message>
        <source>Deadlines of this sitting</source>
        <translation>本场次时间节点</translation>
    </message>
    <message>
        <source>The room proctors signed in at the console; every record names them (R02)</source>
        <translation>在监考机上签到的监考员；每项操作记录都写明其姓名（R02）</translation>
    </message>
    <message>
        <source>Room proctor console</source>
        <translation>监考机</translation>
    </message>
    <message>
        <source>Rehearsal ×{scale:g}</source>
        <translation>演练 ×{scale:g}</translation>
    </message>
    <message>
        <source>Sitting {n}: {subject}  {start}–{end}</source>
        <translation>第{n}场  {subject}  {start}–{end}</translation>
    </message>
    <message>
        <source> (of {count})</source>
        <translation>（共{count}场）</translation>
    </message>
    <message>
        <source>The room server has not said which profile applies yet</source>
        <translation>考场服务器尚未告知适用规则</translation>
    </message>
    <message>
        <source>Policy profile: {policy}</source>
        <translation>适用规则：{policy}</translation>
    </message>
    <message>
        <source>{n} numbers take the national default: the profile is silent on them</source>
        <translation>其中 {n} 项参数本规则未作规定，取全国默认值</translation>
    </message>
    <message>
        <source>Click to see every number, its rule and where it comes from</source>
        <translation>点击查看各项参数的取值、规则条目及依据</translation>
    </message>
    <message>
        <source>No proctor signed in</source>
        <translation>监考员未签到</translation>
    </message>
    <message>
        <source>Proctors {n}/{need}: {names}</source>
        <translation>监考员 {n}/{need}：{names}</translation>
    </message>
    <message>
        <source>Proctors: {names}</source>
        <translation>监考员：{names}</translation>
    </message>
    <message>
        <source>Start in {left}</source>
        <translation>距开考 {left}</translation>
    </message>
    <message>
        <source>Present</source>
        <translation>实到</translation>
    </message>
    <message>
        <source>Sign-in closes in {left}</source>
        <translation>距停止登录 {left}</translation>
    </message>
    <message>
        <source>Ends in {left}</source>
        <translation>距考试结束 {left}</translation>
    </message>
</context>
<context>
    <name>Identity</name>
    <message>
        <source>Identity check</source>
        <translation>身份核验</translation>
    </message>
    <message>
        <source>&amp;Matches</source>
        <translation>相符(&amp;M)</translation>
    </message>
    <message>
        <source>Does &amp;not match</source>
        <translation>不符(&amp;N)</translation>
    </message>
    <message>
        <source>Result:</source>
        <translation>核验结果：</translation>
    </message>
    <message>
        <source>If it does not match: which (photo, name, ID number, ticket)</source>
        <translation>如不符：写明哪一项（照片、姓名、证件号、准考证）</translation>
    </message>
    <message>
        <source>&amp;What:</source>
        <translation>说明(&amp;W)：</translation>
    </message>
    <message>
        <source>After the start, compare the candidate with the ID card, the admission ticket and the photo on the exam machine; a mismatch is raised and dealt with under the rules (R57)</source>
        <translation>开考后逐一核对考生本人与准考证照片、身份证照片和考试机显示的照片是否相符；发现不符即提醒，并按有关规定处理（001 监考规则 第八条，R57）</translation>
    </message>
    <message>
        <source>Record the check (Enter)</source>
        <translation>记录核验结果 (Enter)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Ticket number</source>
        <translation>准考证号</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号</translation>
    </message>
    <message>
        <source>Seat</source>
        <translation>座位</translation>
    </message>
    <message>
        <source>Say what does not match: the photo, the name, the ID number or the ticket</source>
        <translation>请写明哪一项不符：照片、姓名、证件号或准考证</translation>
    </message>
</context>
<context>
    <name>Incident</name>
    <message>
        <source>the room</source>
        <translation>考场</translation>
    </message>
    <message>
        <source>the site</source>
        <translation>考点</translation>
    </message>
    <message>
        <source>the city exam office</source>
        <translation>市级考试机构</translation>
    </message>
    <message>
        <source>the provincial exam office</source>
        <translation>省级考试管理机构</translation>
    </message>
    <message>
        <source>the national exam office</source>
        <translation>全国（部级）考试机构</translation>
    </message>
    <message>
        <source>Incident guide</source>
        <translation>应急处理</translation>
    </message>
    <message>
        <source>Start handling (Enter)</source>
        <translation>开始处理 (Enter)</translation>
    </message>
    <message>
        <source>What was reported, to whom, and their answer (recorded)</source>
        <translation>报告了什么、向谁报告、对方答复（将记录在案）</translation>
    </message>
    <message>
        <source>New incident:</source>
        <translation>新突发事件：</translation>
    </message>
    <message>
        <source>Print this incident…</source>
        <translation>打印本事件…</translation>
    </message>
    <message>
        <source>For the {n} candidates whose machines are offline now</source>
        <translation>针对当前考试机离线的 {n} 名考生</translation>
    </message>
    <message>
        <source>For the whole room</source>
        <translation>针对全考场</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>open</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>No incident open</source>
        <translation>没有正在处理的突发事件</translation>
    </message>
    <message>
        <source>Closed: {text}</source>
        <translation>已处理完毕：{text}</translation>
    </message>
    <message>
        <source>补时 {m} min ({n} candidates)</source>
        <translation>补时 {m} 分钟（{n} 人）</translation>
    </message>
    <message>
        <source>Open: {op}</source>
        <translation>打开：{op}</translation>
    </message>
    <message>
        <source>No duty telephone for {whom} in the exam package</source>
        <translation>考务数据未设置{whom}的值班电话</translation>
    </message>
    <message>
        <source>Call: {calls}</source>
        <translation>请致电：{calls}</translation>
    </message>
    <message>
        <source>No affected candidate can have this operation now: {op}</source>
        <translation>受影响的考生中没有可执行此操作的：{op}</translation>
    </message>
    <message>
        <source>Report to {whom}: {text}</source>
        <translation>报告{whom}：{text}</translation>
    </message>
    <message>
        <source>Repaired</source>
        <translation>已修复</translation>
    </message>
    <message>
        <source>Not repaired in time</source>
        <translation>未能按时修复</translation>
    </message>
    <message>
        <source>Done, next step</source>
        <translation>完成，下一步</translation>
    </message>
    <message>
        <source>Since it began: {t}</source>
        <translation>事件已持续 {t}</translation>
    </message>
    <message>
        <source>Threshold passed {t} ago</source>
        <translation>已超过规定时限 {t}</translation>
    </message>
    <message>
        <source>Threshold in {t}</source>
        <translation>距规定时限 {t}</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Not logged in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>已登录</translation>
    </message>
    <message>
        <source>Answering</source>
        <translation>作答中</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>已交卷</translation>
    </message>
    <message>
        <source>Absent</source>
        <translation>缺考</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>已重置</translation>
    </message>
    <message>
        <source>Standalone</source>
        <translation>单机考试</translation>
    </message>
    <message>
        <source>Transferred out</source>
        <translation>已调出</translation>
    </message>
    <message>
        <source>Gave up</source>
        <translation>放弃考试</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>暂离</translation>
    </message>
    <message>
        <source>Violation</source>
        <translation>违纪</translation>
    </message>
    <message>
        <source>ID checked</source>
        <translation>已核验</translation>
    </message>
    <message>
        <source>Extra time</source>
        <translation>补时</translation>
    </message>
    <message>
        <source>Wrong seat</source>
        <translation>座位不符</translation>
    </message>
    <message>
        <source>Duplicate login</source>
        <translation>重复登录</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Exam machine offline</source>
        <translation>考试机离线</translation>
    </message>
    <message>
        <source>Unknown exam machine</source>
        <translation>未知考试机接入</translation>
    </message>
    <message>
        <source>Proctor machine clock stepped</source>
        <translation>监考机时钟跳变</translation>
    </message>
    <message>
        <source>Too few proctors</source>
        <translation>监考员人数不足</translation>
    </message>
    <message>
        <source>Credential check failed</source>
        <translation>凭据验证失败</translation>
    </message>
    <message>
        <source>Exam machine connected twice</source>
        <translation>考试机重复接入</translation>
    </message>
    <message>
        <source>Exam machine clock not calibrated</source>
        <translation>考试机时钟偏差</translation>
    </message>
    <message>
        <source>Internet or removable media on exam machine</source>
        <translation>联网或外接存储</translation>
    </message>
    <message>
        <source>Resent answers differ</source>
        <translation>重发作答不一致</translation>
    </message>
    <message>
        <source>Acknowledged saves missing</source>
        <translation>作答数据缺失</translation>
    </message>
    <message>
        <source>Saved answers damaged</source>
        <translation>作答数据损坏</translation>
    </message>
    <message>
        <source>Sign-in closes soon</source>
        <translation>即将停止登录</translation>
    </message>
    <message>
        <source>Remind the candidates: the exam ends soon</source>
        <translation>提醒考生：考试即将结束</translation>
    </message>
    <message>
        <source>Authorization request locked</source>
        <translation>授权码申请已锁定</translation>
    </message>
    <message>
        <source>Identity does not match</source>
        <translation>身份不符</translation>
    </message>
    <message>
        <source>Away too long</source>
        <translation>暂离超时</translation>
    </message>
    <message>
        <source>Backup due</source>
        <translation>考试数据未备份</translation>
    </message>
    <message>
        <source>Standalone answers not recovered</source>
        <translation>单机考试作答未回收</translation>
    </message>
    <message>
        <source>Reset machine still acting for the candidate</source>
        <translation>已重置的考试机仍在为考生操作</translation>
    </message>
    <message>
        <source>Wrong unlock codes at the console</source>
        <translation>监考机解锁码多次错误</translation>
    </message>
    <message>
        <source>An incident&apos;s time limit has passed</source>
        <translation>突发事件已超过规定时限</translation>
    </message>
    <message>
        <source>Many machines dropped at once</source>
        <translation>多台考试机同时掉线</translation>
    </message>
    <message>
        <source>Exam machine fault</source>
        <translation>考试机故障</translation>
    </message>
    <message>
        <source>Power failure</source>
        <translation>断电</translation>
    </message>
    <message>
        <source>Network failure</source>
        <translation>断网</translation>
    </message>
    <message>
        <source>Keyboard, mouse or screen fault</source>
        <translation>键盘、鼠标或显示器故障</translation>
    </message>
    <message>
        <source>Software fault</source>
        <translation>软件故障</translation>
    </message>
    <message>
        <source>Another incident</source>
        <translation>其他突发事件</translation>
    </message>
    <message>
        <source>The candidate&apos;s own error</source>
        <translation>考生自身操作失误</translation>
    </message>
    <message>
        <source>Toilet</source>
        <translation>如厕</translation>
    </message>
    <message>
        <source>Illness</source>
        <translation>身体不适</translation>
    </message>
    <message>
        <source>Other (say which)</source>
        <translation>其他（请写明）</translation>
    </message>
    <message>
        <source>Marked the electronic answers or signed outside the name field</source>
        <translation>在电子答卷上作标记或者在非署名处署名</translation>
    </message>
    <message>
        <source>Switched off or restarted the exam machine</source>
        <translation>擅自关闭或重启考试机</translation>
    </message>
    <message>
        <source>Moved the screen far or moved the computer case</source>
        <translation>大幅度调整考试机显示屏摆放位置和角度、搬动主机箱</translation>
    </message>
    <message>
        <source>Swapped or damaged exam equipment</source>
        <translation>擅自更换或故意损毁机考设施设备</translation>
    </message>
    <message>
        <source>Used an external device of their own</source>
        <translation>使用自带外接设备</translation>
    </message>
    <message>
        <source>Installed cheating tools or programs</source>
        <translation>安装作弊工具和程序</translation>
    </message>
    <message>
        <source>Broke into the exam system or changed its data</source>
        <translation>非法侵入考试系统或者非法获取、删除、修改、增加考试信息系统数据</translation>
    </message>
    <message>
        <source>Other (describe in the facts)</source>
        <translation>其他（在事实中写明）</translation>
    </message>
    <message>
        <source>Score of this subject void</source>
        <translation>当次该科目考试成绩无效</translation>
    </message>
    <message>
        <source>Serious violation</source>
        <translation>严重违纪违规</translation>
    </message>
    <message>
        <source>Especially serious violation</source>
        <translation>特别严重违纪违规</translation>
    </message>
    <message>
        <source>Resume on a spare machine</source>
        <translation>备用机续考</translation>
    </message>
    <message>
        <source>Restart on the same machine</source>
        <translation>原机重启</translation>
    </message>
    <message>
        <source>Keyboard or mouse fault</source>
        <translation>鼠标、键盘等外设故障</translation>
    </message>
    <message>
        <source>Cloud room system fault</source>
        <translation>云机房系统故障</translation>
    </message>
    <message>
        <source>Another fault</source>
        <translation>其他故障</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开考</translation>
    </message>
    <message>
        <source>In progress, sign-in open</source>
        <translation>考试中 · 可登录</translation>
    </message>
    <message>
        <source>In progress, sign-in closed</source>
        <translation>考试中 · 已停止登录</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>本场考试已结束</translation>
    </message>
    <message>
        <source>Internet</source>
        <translation>互联网</translation>
    </message>
    <message>
        <source>Removable media</source>
        <translation>可移动存储介质</translation>
    </message>
    <message>
        <source>Internet address {address}</source>
        <translation>互联网地址 {address}</translation>
    </message>
    <message>
        <source>No heartbeat</source>
        <translation>心跳超时</translation>
    </message>
    <message>
        <source>Connection closed</source>
        <translation>连接断开</translation>
    </message>
    <message>
        <source>Assigned seat {detail}</source>
        <translation>应坐 {detail}</translation>
    </message>
    <message>
        <source>From {detail}</source>
        <translation>来自 {detail}</translation>
    </message>
    <message>
        <source>Stepped by {detail}</source>
        <translation>跳变 {detail}</translation>
    </message>
    <message>
        <source>Signed in {detail}</source>
        <translation>已签到 {detail}</translation>
    </message>
    <message>
        <source>Second connection from {detail}</source>
        <translation>重复接入来自 {detail}</translation>
    </message>
    <message>
        <source>Off by {detail}</source>
        <translation>偏差 {detail}</translation>
    </message>
    <message>
        <source>Reports {detail}</source>
        <translation>检测到：{detail}</translation>
    </message>
    <message>
        <source>Save {detail}</source>
        <translation>第 {detail} 次保存</translation>
    </message>
    <message>
        <source>Held/acknowledged {detail}</source>
        <translation>已存/已确认 {detail}</translation>
    </message>
    <message>
        <source>Saves {detail}</source>
        <translation>第 {detail} 次保存</translation>
    </message>
    <message>
        <source>{detail} not logged in yet</source>
        <translation>尚有 {detail} 人未登录</translation>
    </message>
    <message>
        <source>{detail} min to the end (R12)</source>
        <translation>距考试结束 {detail} 分钟（R12）</translation>
    </message>
    <message>
        <source>Request {detail}: too many wrong codes</source>
        <translation>申请码 {detail}：授权码错误次数过多，请重新申请</translation>
    </message>
    <message>
        <source>Out of the room for {detail} min</source>
        <translation>已离开考场 {detail} 分钟</translation>
    </message>
    <message>
        <source>Sitting {detail}: not backed up 30 min after the end (R15)</source>
        <translation>第 {detail} 场结束 30 分钟仍未备份（R15）</translation>
    </message>
    <message>
        <source>Recover first (R26): {detail}</source>
        <translation>须先回收（R26）：{detail}</translation>
    </message>
    <message>
        <source>The candidate was sent to {detail}</source>
        <translation>考生已重置到 {detail}</translation>
    </message>
    <message>
        <source>{detail} wrong codes since the lock</source>
        <translation>锁定后解锁码错误 {detail} 次</translation>
    </message>
    <message>
        <source>Incident/step {detail}</source>
        <translation>事件/步骤 {detail}</translation>
    </message>
    <message>
        <source>offline/in use: {detail}; start 应急处理</source>
        <translation>掉线/在用：{detail}，请启动应急处理</translation>
    </message>
    <message>
        <source>M</source>
        <translation>男</translation>
    </message>
    <message>
        <source>F</source>
        <translation>女</translation>
    </message>
</context>
<context>
    <name>Leave</name>
    <message>
        <source>Temporary leave</source>
        <translation>暂离</translation>
    </message>
    <message>
        <source>The proctor who goes with the candidate</source>
        <translation>陪同往返的监考人员</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Escort:</source>
        <translation>陪同人员(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
    <message>
        <source>Record the leave (Enter)</source>
        <translation>登记暂离 (Enter)</translation>
    </message>
    <message>
        <source>&amp;ID card checked at the door (R32)</source>
        <translation>已查验其有效居民身份证(&amp;I)（R32）</translation>
    </message>
    <message>
        <source>Record the return (Enter)</source>
        <translation>登记返回 (Enter)</translation>
    </message>
    <message>
        <source>Out of the room since {time} with {escort}: record the return</source>
        <translation>自 {time} 起由 {escort} 陪同暂离考场：请登记返回</translation>
    </message>
    <message>
        <source>A candidate who must leave the room is asked why, recorded, and goes and comes back with a proctor sent along (000 附件3 15); the proctors are told after {minutes} min out</source>
        <translation>考生确需暂时离开考场，监考应问明原因、做好记录，并指定流动监考陪同往返（000 附件3 15）；离开超过 {minutes} 分钟将提醒监考员</translation>
    </message>
    <message>
        <source>Check the candidate&apos;s ID card before they come back in (R32)</source>
        <translation>考生返回考场前须查验其有效居民身份证（R32）</translation>
    </message>
    <message>
        <source>Name the proctor who goes with the candidate</source>
        <translation>请填写陪同往返的监考人员姓名</translation>
    </message>
    <message>
        <source>Say why the candidate leaves</source>
        <translation>请写明暂离原因</translation>
    </message>
</context>
<context>
    <name>Lock</name>
    <message>
        <source>The console is locked</source>
        <translation>监考机已锁定</translation>
    </message>
    <message>
        <source>Unlock code, then Enter</source>
        <translation>输入解锁码后按 Enter</translation>
    </message>
    <message>
        <source>Two proctors sign in again to unlock</source>
        <translation>两名监考员重新签到以解锁</translation>
    </message>
    <message>
        <source>{room}: locked while the proctors stepped away</source>
        <translation>{room}：监考员暂离，监考机已锁定</translation>
    </message>
    <message>
        <source>{room}: locked, and this console holds no unlock code</source>
        <translation>{room}：监考机已锁定，本机没有解锁码</translation>
    </message>
    <message>
        <source>{n} open alerts</source>
        <translation>{n} 条待处理提醒</translation>
    </message>
    <message>
        <source>Lock the console</source>
        <translation>锁定监考机</translation>
    </message>
    <message>
        <source>Unlock code: {a} to {b} digits</source>
        <translation>解锁码：{a} 至 {b} 位数字</translation>
    </message>
    <message>
        <source>The same again</source>
        <translation>再输入一次</translation>
    </message>
    <message>
        <source>Lock (Enter)</source>
        <translation>锁定 (Enter)</translation>
    </message>
    <message>
        <source>The code is {a} to {b} digits</source>
        <translation>解锁码须为 {a} 至 {b} 位数字</translation>
    </message>
    <message>
        <source>The two codes differ: type it again</source>
        <translation>两次输入不一致，请重新输入</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Candidates</source>
        <translation>考生列表</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>考生详情</translation>
    </message>
    <message>
        <source>Proctors sign in</source>
        <translation>监考员签到</translation>
    </message>
    <message>
        <source>The room proctors sign in; their names go on every record (R02)</source>
        <translation>监考员签到；每项操作记录都写明其姓名（R02）</translation>
    </message>
    <message>
        <source>Package code as QR code</source>
        <translation>考场数据校验码二维码</translation>
    </message>
    <message>
        <source>&amp;Room</source>
        <translation>考场(&amp;R)</translation>
    </message>
    <message>
        <source>Policy profile and its parameters</source>
        <translation>适用规则及其参数</translation>
    </message>
    <message>
        <source>&amp;Operations</source>
        <translation>操作(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>Lock the console</source>
        <translation>锁定监考机</translation>
    </message>
    <message>
        <source>Seat map</source>
        <translation>座位图</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Find a candidate</source>
        <translation>查找考生</translation>
    </message>
    <message>
        <source>Wrong unlock code ({n} since the lock)</source>
        <translation>解锁码不正确（锁定后第 {n} 次）</translation>
    </message>
    <message>
        <source>Last update {time}</source>
        <translation>最后更新 {time}</translation>
    </message>
    <message>
        <source>Proctor console — {room}</source>
        <translation>监考机 — {room}</translation>
    </message>
    <message>
        <source>Proctor console</source>
        <translation>监考机</translation>
    </message>
    <message>
        <source>Overbooked room: seats are given at login</source>
        <translation>考场超排：入场时随机指定座位，登录后显示机位号</translation>
    </message>
    <message>
        <source>The room service runs a different exam package ({theirs}) from the one loaded here ({ours}). Check the exam data before the exam.</source>
        <translation>考场服务器的考场数据（校验码 {theirs}）与本监考机导入的（{ours}）不一致，请在开考前核对考场数据。</translation>
    </message>
    <message>
        <source>Connection to the room service lost, reconnecting…</source>
        <translation>与考场服务器的连接已断开，正在重连…</translation>
    </message>
    <message>
        <source>Connecting to the room service…</source>
        <translation>正在连接考场服务器…</translation>
    </message>
    <message>
        <source>The room service refused this console: {error}</source>
        <translation>考场服务器拒绝了本监考机的连接：{error}</translation>
    </message>
    <message>
        <source>● Connected</source>
        <translation>● 已连接</translation>
    </message>
    <message>
        <source>● Not connected</source>
        <translation>● 未连接</translation>
    </message>
    <message>
        <source>Select a candidate first: on the seat map, in the list, or open their panel</source>
        <translation>请先在座位图或考生列表中选择考生，或打开其详情</translation>
    </message>
    <message>
        <source>This operation is for one candidate at a time: select only one</source>
        <translation>此操作每次只针对一名考生，请只选择一名考生</translation>
    </message>
    <message>
        <source>Close the proctor console?</source>
        <translation>关闭监考机程序？</translation>
    </message>
    <message>
        <source>The exam is in progress. The room service keeps running and exam machines keep saving, but this screen will no longer show the room.</source>
        <translation>考试正在进行。考场服务器会继续运行，考试机也会继续保存答案，但本屏幕将不再显示考场情况。</translation>
    </message>
</context>
<context>
    <name>Notice</name>
    <message>
        <source>Question corrected</source>
        <translation>试题更正</translation>
    </message>
    <message>
        <source>Reminder before the end</source>
        <translation>结束前提醒</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>突发事件</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Notice to the exam machines</source>
        <translation>通知考试机</translation>
    </message>
    <message>
        <source>&amp;All exam machines</source>
        <translation>全部考试机(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;These:</source>
        <translation>指定(&amp;T)：</translation>
    </message>
    <message>
        <source>Exam machine numbers, separated by commas</source>
        <translation>考试机编号，以逗号分隔</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类别(&amp;K)：</translation>
    </message>
    <message>
        <source>Te&amp;xt:</source>
        <translation>内容(&amp;X)：</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>发送至：</translation>
    </message>
    <message>
        <source>Sent:</source>
        <translation>已发送：</translation>
    </message>
    <message>
        <source>Each exam machine shows the notice to its candidate and says so; one that is offline gets it when it comes back. The reminder before the end: R12</source>
        <translation>考试机向考生显示通知并回报已显示；离线的考试机在重新连接时收到。结束前提醒见 R12（001 监考规则 第十二条）</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>发送 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>all {n} shown</source>
        <translation>{n} 台均已显示</translation>
    </message>
    <message>
        <source>{a}/{n} shown; not yet: {machines}</source>
        <translation>已显示 {a}/{n}；未显示：{machines}</translation>
    </message>
    <message>
        <source>No notice sent yet</source>
        <translation>尚未发送通知</translation>
    </message>
    <message>
        <source>Write what the candidates must read</source>
        <translation>请填写通知内容</translation>
    </message>
    <message>
        <source>A notice is at most {n} characters</source>
        <translation>通知最多 {n} 字</translation>
    </message>
    <message>
        <source>Name the exam machines, or send to all</source>
        <translation>请填写考试机编号，或发送至全部考试机</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <source>Extra time…</source>
        <translation>补时…</translation>
    </message>
    <message>
        <source>Extra time for time lost to a fault, for one candidate or those selected (R19–R23)</source>
        <translation>为因故障损失时间的考生补时，可一次为所选多名考生补时（R19–R23）</translation>
    </message>
    <message>
        <source>Identity check…</source>
        <translation>身份核验…</translation>
    </message>
    <message>
        <source>Record the check of the candidate against the ID card, the ticket and the photo (R57)</source>
        <translation>记录考生本人与身份证、准考证及照片的核对结果（R57）</translation>
    </message>
    <message>
        <source>Temporary leave…</source>
        <translation>暂离…</translation>
    </message>
    <message>
        <source>Record that the candidate leaves the room with a proctor, or comes back (000 附件3 15)</source>
        <translation>登记考生由监考人员陪同暂离考场或返回考场（000 附件3 15）</translation>
    </message>
    <message>
        <source>Violation record…</source>
        <translation>违纪记录…</translation>
    </message>
    <message>
        <source>Record a violation: the facts, the evidence, two proctors confirming (R30, R31)</source>
        <translation>记录违纪违规行为：事实、证据，两名监考员确认（R30、R31）</translation>
    </message>
    <message>
        <source>Gives up…</source>
        <translation>放弃考试…</translation>
    </message>
    <message>
        <source>Record that the candidate gives up the exam (R53)</source>
        <translation>登记考生放弃考试（R53）</translation>
    </message>
    <message>
        <source>Correct the submission…</source>
        <translation>交卷更正…</translation>
    </message>
    <message>
        <source>Undo a submission made by mistake, or submit for a candidate whose machine cannot</source>
        <translation>撤销误交卷，或为考试机无法交卷的考生代为交卷</translation>
    </message>
    <message>
        <source>Seat at random…</source>
        <translation>随机指定座位…</translation>
    </message>
    <message>
        <source>Overbooked room: send the arrival to a free machine chosen at random (R34)</source>
        <translation>超排考场：为入场考生随机指定空闲机位（R34）</translation>
    </message>
    <message>
        <source>Delayed start…</source>
        <translation>延时开考…</translation>
    </message>
    <message>
        <source>Delay the sitting&apos;s start before it starts: city consent, provincial code (R16–R18)</source>
        <translation>开考前延迟本场次的开考时间：经地市级同意或凭省级授权码（R16–R18）</translation>
    </message>
    <message>
        <source>Standalone exam…</source>
        <translation>单机考试…</translation>
    </message>
    <message>
        <source>Export the candidate&apos;s standalone package for an exam machine, with the chief examiner&apos;s consent (R25)</source>
        <translation>经主考同意，为考生导出单机考试作答包，在指定考试机上继续作答（R25）</translation>
    </message>
    <message>
        <source>Recover standalone answers…</source>
        <translation>回收单机考试作答…</translation>
    </message>
    <message>
        <source>Import a standalone exam&apos;s result file, or record a lost one as unrecoverable (R26)</source>
        <translation>导入单机考试作答结果文件，或登记无法回收的作答包（R26）</translation>
    </message>
    <message>
        <source>Reset…</source>
        <translation>重置…</translation>
    </message>
    <message>
        <source>Reset a candidate off a failed machine: onto a free spare, or the same machine after a restart (R24)</source>
        <translation>考试机故障时重置考生：换到空闲备用机续考，或原机重启后继续（R24）</translation>
    </message>
    <message>
        <source>Transfer out…</source>
        <translation>调出…</translation>
    </message>
    <message>
        <source>Overbooked room full: transfer the arrival to another room; or settle a transfer (R35, R36)</source>
        <translation>超排考场已满：将入场考生调出到其他考场；或处理未被调入的调出考生（R35、R36）</translation>
    </message>
    <message>
        <source>Transfer in…</source>
        <translation>调入…</translation>
    </message>
    <message>
        <source>Receive a candidate another room of the site transferred out (R35)</source>
        <translation>调入本考点其他考场调出的考生（R35）</translation>
    </message>
    <message>
        <source>Stop the exam…</source>
        <translation>停止考试…</translation>
    </message>
    <message>
        <source>Record that the exam office stopped the exam (CPA 003 一、七)</source>
        <translation>登记考试机构决定停止考试（注会 003 一、七）</translation>
    </message>
    <message>
        <source>Choice after the stop…</source>
        <translation>停考后考生选择…</translation>
    </message>
    <message>
        <source>Register the candidate&apos;s choice after a stop: retake or refund (R46)</source>
        <translation>登记停考后考生的选择：参加另行安排的考试或退费（R46）</translation>
    </message>
    <message>
        <source>Transfer slip…</source>
        <translation>跨考场调动单…</translation>
    </message>
    <message>
        <source>Every candidate moved out of or into this room (R37)</source>
        <translation>调出或调入本考场的全部考生（R37）</translation>
    </message>
    <message>
        <source>Incident guide…</source>
        <translation>应急处理…</translation>
    </message>
    <message>
        <source>Handle an incident step by step by this exam&apos;s emergency plan</source>
        <translation>按本考试的应急预案逐步处理突发事件</translation>
    </message>
    <message>
        <source>Notice to the exam machines…</source>
        <translation>通知考试机…</translation>
    </message>
    <message>
        <source>Send a notice to all exam machines or those of the candidates selected (R12 reminder)</source>
        <translation>向全部考试机或所选考生的考试机发送通知（含 R12 结束前提醒）</translation>
    </message>
    <message>
        <source>Check list before the start…</source>
        <translation>考前检查…</translation>
    </message>
    <message>
        <source>Tick the room&apos;s checks before the start (R01–R04, R55)</source>
        <translation>开考前逐项检查并确认（R01–R04、R55）</translation>
    </message>
    <message>
        <source>End of the exam…</source>
        <translation>结束考试…</translation>
    </message>
    <message>
        <source>The end-of-exam check list, 结束考试 and the backup (R27, R15, R56)</source>
        <translation>结束考试前的核对、结束考试及数据备份（R27、R15、R56）</translation>
    </message>
    <message>
        <source>Drill score…</source>
        <translation>演练评分…</translation>
    </message>
    <message>
        <source>Score a drill (演练) against what the room&apos;s log shows was done, and print it (004 九(四))</source>
        <translation>按考场日志记录的实际操作为演练评分并打印（004 九(四)）</translation>
    </message>
</context>
<context>
    <name>Print</name>
    <message>
        <source>The printer {name} cannot be used: check that it is installed, or choose another</source>
        <translation>打印机 {name} 无法使用：请检查它是否已安装，或选择其他打印机</translation>
    </message>
    <message>
        <source>The printer {name} reported an error: check that it is on, connected and has paper, then print again</source>
        <translation>打印机 {name} 报告错误：请检查打印机是否开机、连接正常、有纸，然后重新打印</translation>
    </message>
    <message>
        <source>Cannot save {path}: the folder {folder} does not exist. Choose another folder</source>
        <translation>无法保存 {path}：文件夹 {folder} 不存在。请换一个文件夹</translation>
    </message>
    <message>
        <source>Cannot save {path}: this folder cannot be written to. Choose another folder (a USB stick)</source>
        <translation>无法保存 {path}：该文件夹不能写入。请换一个文件夹（例如 U 盘）</translation>
    </message>
    <message>
        <source>Print room records…</source>
        <translation>打印考场记录…</translation>
    </message>
    <message>
        <source>Print preview, print or save as PDF the room report, the violation sheets, the transfer slip</source>
        <translation>打印预览、打印或保存为 PDF：考场情况报告、考场违纪情况记录单、应试人员跨考场调动单、突发事件处理记录</translation>
    </message>
    <message>
        <source>Print room records</source>
        <translation>打印考场记录</translation>
    </message>
    <message>
        <source>Room situation report</source>
        <translation>考场情况报告</translation>
    </message>
    <message>
        <source>Violation record sheets (考场违纪情况记录单)</source>
        <translation>考场违纪情况记录单</translation>
    </message>
    <message>
        <source>Transfer slip (应试人员跨考场调动单)</source>
        <translation>应试人员跨考场调动单</translation>
    </message>
    <message>
        <source>Incident record No. {number}: {title}</source>
        <translation>突发事件处理记录 第 {number} 号：{title}</translation>
    </message>
    <message>
        <source>Print preview…</source>
        <translation>打印预览…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>保存为 PDF…</translation>
    </message>
    <message>
        <source>A remark for the room report&apos;s 备注, recorded with the names of the proctors signed in</source>
        <translation>填写考场情况报告的备注，随签到监考员姓名一并记录</translation>
    </message>
    <message>
        <source>Add remark</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>The room situation report: two proctors and the chief examiner sign it (R38)</source>
        <translation>考场情况报告（表名按适用规则）：两名监考员和主考签字（R38）</translation>
    </message>
    <message>
        <source>One sheet a violation: the candidate, two proctors and the chief examiner sign it (004 九(三))</source>
        <translation>每项违纪一页：应试人员、两名监考员和主考签字（004 九(三)）</translation>
    </message>
    <message>
        <source>Every candidate moved out of or into this room: the chief examiner signs it (R37)</source>
        <translation>调出和调入本考场的全部应试人员：主考签字（R37）</translation>
    </message>
    <message>
        <source>The incident&apos;s steps, its outcome and the minutes lost: two proctors and the chief examiner sign it</source>
        <translation>突发事件的处理步骤、处理结果和考生损失的时间：两名监考员和主考签字</translation>
    </message>
    <message>
        <source>Building the form from the room&apos;s log…</source>
        <translation>正在根据考场记录生成表单…</translation>
    </message>
    <message>
        <source>The remark has {n} characters; at most {max} fit: shorten it</source>
        <translation>备注共 {n} 字，最多 {max} 字：请删减后再添加</translation>
    </message>
    <message>
        <source>Remark added: the room report prints it under 备注</source>
        <translation>备注已添加：考场情况报告的“备注”栏将打印此内容</translation>
    </message>
    <message>
        <source>Print preview: {title}</source>
        <translation>打印预览：{title}</translation>
    </message>
    <message>
        <source>No printer is installed on this proctor machine: install and connect one (ask the technician), or use Save as PDF… and print the file on another computer</source>
        <translation>这台监考机没有安装打印机：请安装并连接打印机（请技术人员协助），或点击“保存为 PDF…”，在其他电脑上打印该文件</translation>
    </message>
    <message>
        <source>Print: {title}</source>
        <translation>打印：{title}</translation>
    </message>
    <message>
        <source>{title}: {pages} pages sent to the printer {printer}</source>
        <translation>{title}：{pages} 页已发送到打印机 {printer}</translation>
    </message>
    <message>
        <source>Save the form as PDF</source>
        <translation>将表单保存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Cannot save {path}: {error}. Choose another folder</source>
        <translation>无法保存 {path}：{error}。请换一个文件夹</translation>
    </message>
    <message>
        <source>Cannot save {path}: the file was not written. Choose another folder</source>
        <translation>无法保存 {path}：文件未能写入。请换一个文件夹</translation>
    </message>
    <message>
        <source>{title} saved: {path} ({pages} pages)</source>
        <translation>{title}已保存：{path}（共 {pages} 页）</translation>
    </message>
</context>
<context>
    <name>Profile</name>
    <message>
        <source>Parameter</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则条目</translation>
    </message>
    <message>
        <source>Where it comes from</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Policy profile</source>
        <translation>适用规则</translation>
    </message>
    <message>
        <source>Policy profile: {name}</source>
        <translation>适用规则：{name}</translation>
    </message>
    <message>
        <source>Based on: {source}</source>
        <translation>依据文件：{source}</translation>
    </message>
    <message>
        <source>{n} numbers are not set by this profile and take the national default (marked “default”).</source>
        <translation>本规则未作规定的 {n} 项参数取全国默认值（标为“默认”）。</translation>
    </message>
    <message>
        <source>This profile sets every number itself.</source>
        <translation>本规则对全部参数均有规定。</translation>
    </message>
    <message>
        <source>Default: the profile is silent</source>
        <translation>默认：本规则未作规定</translation>
    </message>
    <message>
        <source>Not taken: {source}</source>
        <translation>本规则不适用：{source}</translation>
    </message>
    <message>
        <source>Not used by this profile</source>
        <translation>本规则不适用此项</translation>
    </message>
</context>
<context>
    <name>Readiness</name>
    <message>
        <source>Exam machines on, at the login screen</source>
        <translation>考试机开启并处于等待登录界面</translation>
    </message>
    <message>
        <source>Spare exam machines</source>
        <translation>备用考试机</translation>
    </message>
    <message>
        <source>Papers imported an hour before the start</source>
        <translation>开考前 1 小时导入电子试卷</translation>
    </message>
    <message>
        <source>Proctors for the room&apos;s size</source>
        <translation>按考场规模配备监考员</translation>
    </message>
    <message>
        <source>Room data checked against its code</source>
        <translation>扫码校验考场数据</translation>
    </message>
    <message>
        <source>Check list before the start</source>
        <translation>考前检查</translation>
    </message>
    <message>
        <source>Code as printed on the arrangement</source>
        <translation>编排资料上的校验码</translation>
    </message>
    <message>
        <source>If short of the rule: what was done</source>
        <translation>未达要求时：写明处理情况</translation>
    </message>
    <message>
        <source>Tick</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>R04: all exam machines at the login screen 90 min before; R01: about 5% spares; R03: papers an hour before; R02: two proctors per 25 candidates; R55: the room&apos;s data checked by its code</source>
        <translation>R04：考前 90 分钟所有考试机进入等待登录界面；R01：预留 5% 左右备用机；R03：开考前 1 小时导入电子试卷；R02：每 25 名考生配备 2 名监考员；R55：正式考试前扫码校验考场数据</translation>
    </message>
    <message>
        <source>{time} {names}</source>
        <translation>{time} {names}</translation>
    </message>
</context>
<context>
    <name>Records</name>
    <message>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <source>{name} ({ticket}), exam machine {machine}</source>
        <translation>{name}（{ticket}），考试机 {machine}</translation>
    </message>
</context>
<context>
    <name>Reset</name>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>No free spare machine: switch a spare on at its login screen</source>
        <translation>没有空闲的备用机：请开启备用机并停在登录界面</translation>
    </message>
    <message>
        <source>What failed (required for another reason)</source>
        <translation>故障情况（选择“其他故障”时必填）</translation>
    </message>
    <message>
        <source>Time the candidate lost is not given back by the reset: grant it with Extra time (Ctrl+T) (R61)</source>
        <translation>重置不会自动补回考生损失的作答时间：如有损失，请用“补时”（Ctrl+T）补足（R61）</translation>
    </message>
    <message>
        <source>Reset (Enter)</source>
        <translation>重置（Enter）</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>方式(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Free spares:</source>
        <translation>空闲备用机(&amp;F)：</translation>
    </message>
    <message>
        <source>R&amp;eason:</source>
        <translation>原因(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
    <message>
        <source>Reset {name} ({ticket})</source>
        <translation>重置 {name}（{ticket}）</translation>
    </message>
    <message>
        <source>On exam machine {machine}, {state}</source>
        <translation>当前考试机 {machine}，{state}</translation>
    </message>
    <message>
        <source>Restart: the candidate logs in again on their own machine {machine} and goes on from the last acknowledged answers; the end does not change (R24)</source>
        <translation>原机重启：考生在原考试机 {machine} 上重新登录后从最后一次已确认的作答继续，结束时间不变（R24）</translation>
    </message>
    <message>
        <source>Resume: choose a free spare machine (R24)</source>
        <translation>续考：请选择一台空闲的备用机（R24）</translation>
    </message>
    <message>
        <source>Resume: the candidate logs in on spare {spare} and goes on from the last acknowledged answers; the end does not change; {machine} can no longer save for them (R24)</source>
        <translation>续考：考生在备用机 {spare} 上登录后从最后一次已确认的作答继续，结束时间不变；{machine} 不能再为其保存或交卷（R24）</translation>
    </message>
</context>
<context>
    <name>Seat</name>
    <message>
        <source>Seat an arrival</source>
        <translation>随机指定座位</translation>
    </message>
    <message>
        <source>In an overbooked room the proctors seat each arrival at random among the free exam machines; the system binds no seat (004 附件4 三(一), R34)</source>
        <translation>“考场超排”模式下，考生入场时由监考人员按随机原则在空闲机位中指定座位；系统不绑定准考证号与机位（004 附件4 三(一)，R34）</translation>
    </message>
    <message>
        <source>Choose a free machine at random (Enter)</source>
        <translation>随机选择空闲机位 (Enter)</translation>
    </message>
    <message>
        <source>Exam machine {machine}</source>
        <translation>请到考试机 {machine} 就座</translation>
    </message>
    <message>
        <source>Done (Enter)</source>
        <translation>完成 (Enter)</translation>
    </message>
</context>
<context>
    <name>SeatMap</name>
    <message>
        <source>Spare</source>
        <translation>备用</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Clock off</source>
        <translation>时钟偏差</translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation>剩 {time}</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>spare machine</source>
        <translation>备用机</translation>
    </message>
    <message>
        <source>exam machine</source>
        <translation>考试机</translation>
    </message>
    <message>
        <source>{machine} ({kind}, {conn})</source>
        <translation>{machine}（{kind}，{conn}）</translation>
    </message>
    <message>
        <source>Its clock: {offset:+.0f} s against the proctor machine</source>
        <translation>本机时钟与监考机相差 {offset:+.0f} 秒</translation>
    </message>
    <message>
        <source> — off, to be set right (R59)</source>
        <translation>，超出允许范围，请校时（R59）</translation>
    </message>
    <message>
        <source>State: {state}</source>
        <translation>状态：{state}</translation>
    </message>
    <message>
        <source>Flags: {flags}</source>
        <translation>标记：{flags}</translation>
    </message>
    <message>
        <source>Time left: {time}</source>
        <translation>剩余时间：{time}</translation>
    </message>
    <message>
        <source>Seated here by the plan; not logged in yet</source>
        <translation>按编排坐在此机位，尚未登录</translation>
    </message>
    <message>
        <source>answered {n}</source>
        <translation>已答 {n}</translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <source>Proctors sign in</source>
        <translation>监考员签到</translation>
    </message>
    <message>
        <source>Every operation is recorded with the names of the proctors signed in, and the names go on the room report. At least two proctors sign in; this room calls for {required}.</source>
        <translation>每项操作都记录签到监考员的姓名，并写入考场情况报告单。每个考场至少两名监考员签到；本考场应有 {required} 名。</translation>
    </message>
    <message>
        <source>First proctor</source>
        <translation>监考员一</translation>
    </message>
    <message>
        <source>Second proctor</source>
        <translation>监考员二</translation>
    </message>
    <message>
        <source>Third proctor (if any)</source>
        <translation>监考员三（如有）</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在签到…</translation>
    </message>
</context>
<context>
    <name>Standalone</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Standalone results (*.res);;All files (*)</source>
        <translation>单机考试作答结果 (*.res);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Standalone exam</source>
        <translation>单机考试</translation>
    </message>
    <message>
        <source>Standalone exam for {name} ({ticket}), on machine {machine} until now</source>
        <translation>单机考试：{name}（{ticket}），原考试机 {machine}</translation>
    </message>
    <message>
        <source>A standalone exam needs the chief examiner&apos;s consent (004 Annex 2 II(4)), and only when neither a reset nor another machine lets the candidate go on. The package opens only on the machine chosen; the candidate logs in there and goes on offline. There is no synchronous backup: bring the result back to this console before the end (R26).</source>
        <translation>单机考试须经主考同意（004 附件2 二(四)），仅在重置、更换考试机均无法让考生继续考试时使用。作答包只能在所选考试机上导入，考生登录后离线继续作答。单机考试没有同步备份机制，须谨慎使用：考试结束前须将作答结果回收至监考端（R26）。</translation>
    </message>
    <message>
        <source>Name of the chief examiner who consented</source>
        <translation>同意单机考试的主考姓名</translation>
    </message>
    <message>
        <source>What failed, and what was tried (reset, other machine)</source>
        <translation>故障情况及已采取的措施（重置、更换考试机）</translation>
    </message>
    <message>
        <source>Folder on the USB stick for the package</source>
        <translation>存放作答包的U盘文件夹</translation>
    </message>
    <message>
        <source>Export the package (Enter)</source>
        <translation>导出作答包（Enter）</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>取消（Esc）</translation>
    </message>
    <message>
        <source>C&amp;hief examiner:</source>
        <translation>主考(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Exam machine:</source>
        <translation>考试机(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>文件夹(&amp;F)：</translation>
    </message>
    <message>
        <source>{id} (the candidate&apos;s own machine)</source>
        <translation>{id}（考生原考试机）</translation>
    </message>
    <message>
        <source>{id} (in use by {ticket})</source>
        <translation>{id}（考生 {ticket} 使用中）</translation>
    </message>
    <message>
        <source>{id} (spare)</source>
        <translation>{id}（备用机）</translation>
    </message>
    <message>
        <source>Choose the exam machine that will run the standalone exam</source>
        <translation>请选择进行单机考试的考试机</translation>
    </message>
    <message>
        <source>Choose the folder (the USB stick) for the package</source>
        <translation>请选择存放作答包的文件夹（U盘）</translation>
    </message>
    <message>
        <source>Package written: {path}
Import it on {machine}; the candidate has {minutes} min left and goes on from save {seq}. Bring the result file back to this console.</source>
        <translation>作答包已写入：{path}
请在考试机 {machine} 上导入；考生剩余 {minutes} 分钟，自第 {seq} 次保存继续作答。考试结束后请将作答结果文件带回监考端回收。</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message>
        <source>Recover standalone answers</source>
        <translation>回收单机考试作答</translation>
    </message>
    <message>
        <source>Before the exam ends, recover every standalone exam&apos;s answers (004 Annex 2 I(2) Problem 3, step 1): the sitting does not end while a package is out (R26).</source>
        <translation>发出“结束考试”指令前，须第一时间回收单机考试作答数据（004 附件2 一(二) 问题三 第一步）：有作答包未回收时，本场考试不能结束（R26）。</translation>
    </message>
    <message>
        <source>No standalone package is out.</source>
        <translation>没有未回收的单机考试作答包。</translation>
    </message>
    <message>
        <source>The result file the exam machine wrote (.res)</source>
        <translation>考试机生成的作答结果文件（.res）</translation>
    </message>
    <message>
        <source>Import the result (Enter)</source>
        <translation>导入作答结果（Enter）</translation>
    </message>
    <message>
        <source>Recover from the result file</source>
        <translation>从作答结果文件回收</translation>
    </message>
    <message>
        <source>Result &amp;file:</source>
        <translation>结果文件(&amp;F)：</translation>
    </message>
    <message>
        <source>Cannot be recovered</source>
        <translation>无法回收</translation>
    </message>
    <message>
        <source>Why the answers cannot be brought back</source>
        <translation>作答无法回收的原因</translation>
    </message>
    <message>
        <source>Record as unrecoverable (Ctrl+D)</source>
        <translation>登记为无法回收（Ctrl+D）</translation>
    </message>
    <message>
        <source>Two proctors tick their own names to confirm the selected package is lost (R26).</source>
        <translation>须两名监考员各自勾选本人姓名，确认所选作答包无法回收（R26）。</translation>
    </message>
    <message>
        <source>Rea&amp;son:</source>
        <translation>原因(&amp;S)：</translation>
    </message>
    <message>
        <source>Confirmed by:</source>
        <translation>确认人：</translation>
    </message>
    <message>
        <source>Packages out:</source>
        <translation>未回收的作答包：</translation>
    </message>
    <message>
        <source>{name} ({ticket}) on {machine}, exported {at}, {minutes} min left then</source>
        <translation>{name}（{ticket}），考试机 {machine}，{at} 导出，当时剩余 {minutes} 分钟</translation>
    </message>
    <message>
        <source>Choose the result file the exam machine wrote</source>
        <translation>请选择考试机生成的作答结果文件</translation>
    </message>
    <message>
        <source>{name}&apos;s result was imported before; nothing changed</source>
        <translation>{name} 的作答结果此前已导入，未作改动</translation>
    </message>
    <message>
        <source>Recovered {name}&apos;s answers: {saves} saves, up to save {seq}; submitted</source>
        <translation>已回收 {name} 的作答：{saves} 次保存，至第 {seq} 次；已交卷</translation>
    </message>
    <message>
        <source>Select the package that cannot be recovered</source>
        <translation>请选择无法回收的作答包</translation>
    </message>
    <message>
        <source>Recorded as unrecoverable; the sitting can end</source>
        <translation>已登记为无法回收，本场考试可以结束</translation>
    </message>
</context>
<context>
    <name>Stop</name>
    <message>
        <source>Stop the exam</source>
        <translation>停止考试</translation>
    </message>
    <message>
        <source>Who gave the word, e.g. 财政部考办 …</source>
        <translation>下达决定的机构和人员，如：财政部考办 …</translation>
    </message>
    <message>
        <source>The fault, and how long it has lasted</source>
        <translation>故障情况及持续时间</translation>
    </message>
    <message>
        <source>&amp;Directed by:</source>
        <translation>决定人(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Fault:</source>
        <translation>故障(&amp;F)：</translation>
    </message>
    <message>
        <source>The exam office stops the exam when a fault is not solved within the profile&apos;s minutes (CPA: 50, 003 一、七); what each candidate saved stays and nobody answers on. Then each affected candidate registers retake or refund (R46)</source>
        <translation>故障在规定时间内无法解决的（注会：50 分钟，003 一、七），由考试机构决定停止考试；考生已保存的作答保留，不再继续作答。之后受影响的考生登记选择：参加另行安排的考试或退费（R46）</translation>
    </message>
    <message>
        <source>Stop the exam (Enter)</source>
        <translation>停止考试 (Enter)</translation>
    </message>
    <message>
        <source>Name who gave the word and the fault</source>
        <translation>请填写下达决定的人员和故障情况</translation>
    </message>
    <message>
        <source>The candidate&apos;s choice after the stop</source>
        <translation>停考后考生的选择</translation>
    </message>
    <message>
        <source>Take the exam arranged again</source>
        <translation>参加另行安排的考试</translation>
    </message>
    <message>
        <source>A refund of the subject&apos;s fee</source>
        <translation>退还受影响科目的报名费</translation>
    </message>
    <message>
        <source>Choice:</source>
        <translation>选择：</translation>
    </message>
    <message>
        <source>After the exam office stops the exam, each affected candidate registers at the room which they take: the exam arranged again, or a refund (003 七, R46)</source>
        <translation>考试机构作出停止考试决定后，受影响的考生在考场现场登记个人信息和所选择的方案：参加另行组织的考试或退费（003 七，R46）</translation>
    </message>
    <message>
        <source>Register the choice (Enter)</source>
        <translation>登记选择 (Enter)</translation>
    </message>
</context>
<context>
    <name>Submission</name>
    <message>
        <source>Gives up the exam</source>
        <translation>放弃考试</translation>
    </message>
    <message>
        <source>Why the candidate stops</source>
        <translation>考生放弃的原因</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>What the candidate saved is kept and their exam machine stops taking answers; a candidate who gives up stays enclosed until the room closes (004 附件2 二, R53)</source>
        <translation>考生已保存的作答予以保留，其考试机不再接收作答；放弃考试的考生封闭管理至考场封闭结束（004 附件2 二，R53）</translation>
    </message>
    <message>
        <source>Record giving up (Enter)</source>
        <translation>登记放弃考试 (Enter)</translation>
    </message>
    <message>
        <source>Say why</source>
        <translation>请写明原因</translation>
    </message>
    <message>
        <source>Undo a submission made by mistake</source>
        <translation>撤销误交卷</translation>
    </message>
    <message>
        <source>Submit for the candidate</source>
        <translation>代为交卷</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>经过</translation>
    </message>
    <message>
        <source>The chief examiner who consents</source>
        <translation>同意的主考</translation>
    </message>
    <message>
        <source>&amp;Chief examiner:</source>
        <translation>主考(&amp;C)：</translation>
    </message>
    <message>
        <source>The candidate&apos;s own submission is undone and they answer on until their end, with the chief examiner&apos;s consent; the system&apos;s submission at the end is final (R11)</source>
        <translation>经主考同意，撤销考生本人的误交卷，考生继续作答至本人结束时间；系统在结束时间的自动交卷不能撤销（R11）</translation>
    </message>
    <message>
        <source>Undo the submission (Enter)</source>
        <translation>撤销交卷 (Enter)</translation>
    </message>
    <message>
        <source>The proctors submit for a candidate whose exam machine cannot, from the earliest submission time (R08–R10), with the chief examiner&apos;s consent; before it, a candidate who stops gives up</source>
        <translation>考试机无法交卷时，经主考同意，监考员自允许交卷时间起代为交卷（R08–R10）；此前考生如不再作答，按放弃考试登记</translation>
    </message>
    <message>
        <source>Submit for the candidate (Enter)</source>
        <translation>代为交卷 (Enter)</translation>
    </message>
    <message>
        <source>Name the chief examiner who consents</source>
        <translation>请填写同意的主考姓名</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Second login tried</source>
        <translation>重复登录尝试</translation>
    </message>
    <message>
        <source>Answers saved ×{n}</source>
        <translation>保存作答 ×{n}</translation>
    </message>
    <message>
        <source>Answers saved</source>
        <translation>保存作答</translation>
    </message>
    <message>
        <source>Acknowledged saves missing</source>
        <translation>已确认的作答缺失</translation>
    </message>
    <message>
        <source>Submitted automatically at the end</source>
        <translation>到时自动交卷</translation>
    </message>
    <message>
        <source>Submitted (standalone exam recovered)</source>
        <translation>已交卷（单机考试作答已回收）</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>交卷</translation>
    </message>
    <message>
        <source>Exam machine connected</source>
        <translation>考试机连接</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Alert: {what}</source>
        <translation>提醒：{what}</translation>
    </message>
    <message>
        <source>Alert acknowledged</source>
        <translation>提醒已确认</translation>
    </message>
    <message>
        <source>Whole ID number shown</source>
        <translation>查看完整证件号</translation>
    </message>
    <message>
        <source>Extra time +{n} min</source>
        <translation>补时 {n} 分钟</translation>
    </message>
    <message>
        <source>Authorization code requested</source>
        <translation>申请授权码</translation>
    </message>
    <message>
        <source>Wrong authorization code</source>
        <translation>授权码错误</translation>
    </message>
    <message>
        <source>Identity checked: matches</source>
        <translation>身份核验：相符</translation>
    </message>
    <message>
        <source>Identity checked: does not match</source>
        <translation>身份核验：不符</translation>
    </message>
    <message>
        <source>Left the room (temporary leave)</source>
        <translation>暂离考场</translation>
    </message>
    <message>
        <source>Back in the room</source>
        <translation>返回考场</translation>
    </message>
    <message>
        <source>Seated at random: {machine}</source>
        <translation>随机指定座位：{machine}</translation>
    </message>
    <message>
        <source>Incident: {title}</source>
        <translation>突发事件：{title}</translation>
    </message>
    <message>
        <source>After the stop: a refund</source>
        <translation>停考后选择：退费</translation>
    </message>
    <message>
        <source>After the stop: the exam arranged again</source>
        <translation>停考后选择：参加另行安排的考试</translation>
    </message>
    <message>
        <source>Transferred out</source>
        <translation>已调出</translation>
    </message>
    <message>
        <source>Received by {room}</source>
        <translation>已由{room}调入</translation>
    </message>
    <message>
        <source>Transfer settled</source>
        <translation>调出已处理</translation>
    </message>
    <message>
        <source>Transferred in from {room}</source>
        <translation>自{room}调入</translation>
    </message>
    <message>
        <source>Gave up the exam</source>
        <translation>放弃考试</translation>
    </message>
    <message>
        <source>Submission undone</source>
        <translation>撤销交卷</translation>
    </message>
    <message>
        <source>Submitted by the proctors</source>
        <translation>监考员代为交卷</translation>
    </message>
    <message>
        <source>Violation record no. {n}, correcting no. {old}</source>
        <translation>第 {n} 号违纪记录（更正第 {old} 号）</translation>
    </message>
    <message>
        <source>Violation record no. {n}</source>
        <translation>第 {n} 号违纪记录</translation>
    </message>
    <message>
        <source>Standalone exam package exported</source>
        <translation>导出单机考试作答包</translation>
    </message>
    <message>
        <source>Standalone answers recovered</source>
        <translation>回收单机考试作答</translation>
    </message>
    <message>
        <source>Standalone answers recorded as unrecoverable</source>
        <translation>单机考试作答登记为无法回收</translation>
    </message>
    <message>
        <source>Reset: {kind}</source>
        <translation>重置：{kind}</translation>
    </message>
    <message>
        <source>Exam machine {machine}</source>
        <translation>考试机 {machine}</translation>
    </message>
    <message>
        <source>not the assigned seat</source>
        <translation>座位不符</translation>
    </message>
    <message>
        <source>moved from {machine}</source>
        <translation>由 {machine} 重置转来</translation>
    </message>
    <message>
        <source>At exam machine {machine}</source>
        <translation>在考试机 {machine}</translation>
    </message>
    <message>
        <source>Saves {a}–{b}, the last at {t}</source>
        <translation>第 {a}–{b} 次，最后一次 {t}</translation>
    </message>
    <message>
        <source>Save {n}</source>
        <translation>第 {n} 次</translation>
    </message>
    <message>
        <source>{n} answered</source>
        <translation>已答 {n} 题</translation>
    </message>
    <message>
        <source>The log held saves up to {held}, the exam machine had {acked}</source>
        <translation>记录中保存到第 {held} 次，考试机已确认到第 {acked} 次</translation>
    </message>
    <message>
        <source>By {names}</source>
        <translation>确认人：{names}</translation>
    </message>
    <message>
        <source>with {escort}</source>
        <translation>{escort} 陪同</translation>
    </message>
    <message>
        <source>sat elsewhere</source>
        <translation>已在他处参考</translation>
    </message>
    <message>
        <source>did not sit</source>
        <translation>未参考</translation>
    </message>
    <message>
        <source>chief examiner {name} consented</source>
        <translation>主考 {name} 同意</translation>
    </message>
    <message>
        <source>{n} evidence files</source>
        <translation>证据 {n} 个</translation>
    </message>
    <message>
        <source>confirmed by {names}</source>
        <translation>{names} 确认</translation>
    </message>
    <message>
        <source>out {m} min {s} s</source>
        <translation>离开 {m} 分 {s} 秒</translation>
    </message>
    <message>
        <source>with the code for request {request}</source>
        <translation>凭申请 {request} 的授权码</translation>
    </message>
    <message>
        <source>granted by the proctors</source>
        <translation>监考员直接补时</translation>
    </message>
    <message>
        <source>Request {request}, {n} min</source>
        <translation>申请码 {request}，{n} 分钟</translation>
    </message>
    <message>
        <source>Request {request}, attempt {n}</source>
        <translation>申请码 {request}，第 {n} 次</translation>
    </message>
    <message>
        <source>Exam machine {machine}, chief examiner {chief}, {minutes} min left, from save {seq}; {reason}</source>
        <translation>考试机 {machine}，主考 {chief} 同意，剩余 {minutes} 分钟，自第 {seq} 次保存继续；{reason}</translation>
    </message>
    <message>
        <source>From exam machine {machine}, {n} saves, up to save {seq}</source>
        <translation>来自考试机 {machine}，{n} 次保存，至第 {seq} 次</translation>
    </message>
    <message>
        <source>from {machine} to {to}</source>
        <translation>从 {machine} 到 {to}</translation>
    </message>
    <message>
        <source>from {machine} to any free machine</source>
        <translation>从 {machine} 到任一空闲考试机</translation>
    </message>
    <message>
        <source>by the room server at once (R54)</source>
        <translation>考场服务器即时重置（R54）</translation>
    </message>
    <message>
        <source>Exam time as the room server recorded it; below it, the exam machine&apos;s own clock at that moment when it is off by a second or more (R59)</source>
        <translation>考场服务器记录的考试时间；考试机时钟相差一秒以上时，下方为该考试机自己的时钟（R59）</translation>
    </message>
    <message>
        <source>{at}
machine {machine_at}</source>
        <translation>{at}
考试机 {machine_at}</translation>
    </message>
</context>
<context>
    <name>Transfer</name>
    <message>
        <source>Transfer out</source>
        <translation>调出</translation>
    </message>
    <message>
        <source>Why, or what the site&apos;s staff found</source>
        <translation>原因，或考务人员核实的情况</translation>
    </message>
    <message>
        <source>The candidate sat the exam in another room</source>
        <translation>考生已在其他考场参加考试</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>说明(&amp;N)：</translation>
    </message>
    <message>
        <source>Transferred out and received by no room: before the end this room finds out whether the candidate sat and records it (004 附件4 三(二), R36)</source>
        <translation>已调出但未被任何考场调入：考试结束前须由调出考场确认该考生实际参考情况并作出处理（004 附件4 三(二)，R36）</translation>
    </message>
    <message>
        <source>Record what was found (Enter)</source>
        <translation>记录处理结果 (Enter)</translation>
    </message>
    <message>
        <source>The room overflows: the arrival is transferred out and goes to another room of the site, whose console transfers them in; they cannot log in here (004 附件4 三(二), R35)</source>
        <translation>考场溢出：将后续到场考生调出本考场，由考务人员安排到其他考场，在接收考场监考端调入；该考生不能在本考场登录（004 附件4 三(二)，R35）</translation>
    </message>
    <message>
        <source>Transfer out (Enter)</source>
        <translation>调出 (Enter)</translation>
    </message>
    <message>
        <source>Say why, or what was found</source>
        <translation>请写明原因或核实情况</translation>
    </message>
    <message>
        <source>Transfer in</source>
        <translation>调入</translation>
    </message>
    <message>
        <source>e.g. 第03考场</source>
        <translation>如：第03考场</translation>
    </message>
    <message>
        <source>Ticket number on the admission ticket</source>
        <translation>准考证上的准考证号</translation>
    </message>
    <message>
        <source>From &amp;room:</source>
        <translation>调出考场(&amp;R)：</translation>
    </message>
    <message>
        <source>Its &amp;address:</source>
        <translation>其地址(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Ticket number:</source>
        <translation>准考证号(&amp;T)：</translation>
    </message>
    <message>
        <source>This room asks the sending room, which gives the candidate to the first room that asks; then they log in here with their ticket and ID number (004 附件4 三(二), R35)</source>
        <translation>本考场向调出考场申请，调出考场只将考生交给最先申请的考场；调入后考生凭准考证号和证件号在本考场登录（004 附件4 三(二)，R35）</translation>
    </message>
    <message>
        <source>Transfer in (Enter)</source>
        <translation>调入 (Enter)</translation>
    </message>
    <message>
        <source>Give the sending room and the ticket number</source>
        <translation>请填写调出考场和准考证号</translation>
    </message>
    <message>
        <source>The address reads wss://ADDRESS:PORT</source>
        <translation>地址应写作 wss://地址:端口</translation>
    </message>
    <message>
        <source>Transfer slip</source>
        <translation>应试人员跨考场调动单</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>调动</translation>
    </message>
    <message>
        <source>Ticket number</source>
        <translation>准考证号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>考场</translation>
    </message>
    <message>
        <source>State</source>
        <translation>情况</translation>
    </message>
    <message>
        <source>Printed with the room report; the chief examiner signs it (004 附件4 三(二), R37)</source>
        <translation>随考场情况报告单打印，由主考签字确认（004 附件4 三(二)，R37）</translation>
    </message>
    <message>
        <source>received</source>
        <translation>已被调入</translation>
    </message>
    <message>
        <source>settled</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>not received yet</source>
        <translation>尚未被调入</translation>
    </message>
    <message>
        <source>received here</source>
        <translation>已调入本考场</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>调出</translation>
    </message>
    <message>
        <source>In</source>
        <translation>调入</translation>
    </message>
</context>
<context>
    <name>Unseated</name>
    <message>
        <source>Not at a machine yet: {n} (by the last three digits of the ticket number; the machine shows after login)</source>
        <translation>未入座考生 {n} 人（按准考证号后三位排列；入场时随机安排座位，登录后显示机位号）</translation>
    </message>
</context>
<context>
    <name>Violation</name>
    <message>
        <source>Violation record</source>
        <translation>违纪记录</translation>
    </message>
    <message>
        <source>Record the candidate&apos;s name, ticket and ID numbers and the facts in detail, attach the evidence, and two or more room proctors confirm it (R30); the act decides the category (004 附件3, R31)</source>
        <translation>详细记录考生姓名、准考证号、证件号和违纪事实，证据附后，由两名或两名以上监考员签字确认（000 附件3 16，R30）；处理类别按《机考违纪违规行为处理基本规则》（004 附件3，R31）</translation>
    </message>
    <message>
        <source>Record the violation (Ctrl+Enter)</source>
        <translation>记录违纪 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>{name} ({ticket}), ID {id}, exam machine {machine}</source>
        <translation>{name}（{ticket}），证件号 {id}，考试机 {machine}</translation>
    </message>
    <message>
        <source>What happened, when, and what the proctors did</source>
        <translation>违纪事实：时间、经过及监考员的处置</translation>
    </message>
    <message>
        <source>A new record</source>
        <translation>新记录</translation>
    </message>
    <message>
        <source>Correct record no. {n}</source>
        <translation>更正第 {n} 号记录</translation>
    </message>
    <message>
        <source>&amp;Act:</source>
        <translation>行为(&amp;A)：</translation>
    </message>
    <message>
        <source>Ca&amp;tegory:</source>
        <translation>处理类别(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Facts:</source>
        <translation>违纪事实(&amp;F)：</translation>
    </message>
    <message>
        <source>Co&amp;rrects:</source>
        <translation>更正(&amp;R)：</translation>
    </message>
    <message>
        <source>Add evidence… (Ctrl+O)</source>
        <translation>添加证据… (Ctrl+O)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>&amp;Evidence:</source>
        <translation>证据(&amp;E)：</translation>
    </message>
    <message>
        <source>{name} confirms</source>
        <translation>{name} 确认</translation>
    </message>
    <message>
        <source>Confirmed by:</source>
        <translation>确认人：</translation>
    </message>
    <message>
        <source>Evidence files</source>
        <translation>证据文件</translation>
    </message>
    <message>
        <source>At most {n} files per record</source>
        <translation>每条记录最多 {n} 个证据文件</translation>
    </message>
    <message>
        <source>Write down the facts</source>
        <translation>请详细记录违纪事实</translation>
    </message>
    <message>
        <source>The facts are at most {n} characters</source>
        <translation>违纪事实最多 {n} 字</translation>
    </message>
    <message>
        <source>Two proctors confirm a violation record: each ticks their own name (R30)</source>
        <translation>违纪记录须由两名监考员分别勾选本人姓名确认（R30）</translation>
    </message>
</context>
</TS>
