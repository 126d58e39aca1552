/** Telegram bot replies, menus and help (zh-CN). Fluent ids; placeables written { $name }. */
export const bot = {
  "bot-start-guest":
    "您好！这里是协税通，协助税务机关做好协税护税工作。\n\n如果您是村（居）委会、交警、演出场所或相关部门的工作人员，请向单位管理员索取邀请码，然后把邀请码直接发给我（或点击管理员发来的链接）完成注册。\n\n普通群众无需注册即可匿名举报涉税违法行为（举报功能即将上线），我们会严格保密。\n\n发送 /help 查看可用的命令，发送 /lang 切换语言。",
  "bot-start-member": "欢迎回来，{ $name }！发送 /help 查看您可以使用的命令。",
  "bot-welcome":
    "注册成功，欢迎您，{ $name }！\n单位：{ $unit }（{ $unitType }）\n角色：{ $roles }\n\n发送 /help 查看您可以使用的命令。",
  "bot-me": "姓名：{ $name }\n单位：{ $unit }（{ $unitType }）\n角色：{ $roles }",
  "bot-me-guest": "您还没有注册。请向单位管理员索取邀请码，然后把邀请码直接发给我。",
  "bot-help-title": "您可以使用的命令：",
  "bot-help-guest-footer": "还没有账号？把管理员给您的邀请码直接发给我即可注册。",
  "bot-help-member-footer": "需要在小程序登录？发送 /link 获取一次性绑定码。",
  "bot-cmd-start": "开始使用 / 用邀请码注册",
  "bot-cmd-help": "查看可用的命令",
  "bot-cmd-me": "我的姓名、单位和角色",
  "bot-cmd-link": "获取小程序登录码；/link 绑定码 绑定本账号",
  "bot-cmd-lang": "切换语言 / Language",
  "bot-link-code":
    "您的一次性绑定码：{ $code }\n\n请在 10 分钟内打开协税通小程序登录页输入此码。每个码只能用一次，请勿转发给他人。",
  "bot-link-guest":
    "您还没有注册。如果您已在小程序登录，请在小程序“我的”页面获取绑定码，然后发送：/link 绑定码",
  "bot-link-done": "绑定成功！这个 Telegram 账号已绑定到 { $name }（{ $unit }）。",
  "bot-lang-choose": "请选择语言 / Choose your language:",
  "bot-lang-set": "已切换为中文。",
  "bot-lang-name": "中文",
  "bot-unhandled": "抱歉，我没有看懂这条消息。发送 /help 查看可用的命令。",
  "bot-unhandled-media": "目前我只能处理文字消息，暂时无法处理图片、文件、语音或贴纸。发送 /help 查看可用的命令。",
  "bot-unknown-command": "没有这个命令。发送 /help 查看可用的命令。",
  "bot-error": "抱歉，处理时出了点问题，请稍后再试。您的数据没有丢失。",
  "bot-list-separator": "、",
} as const;
