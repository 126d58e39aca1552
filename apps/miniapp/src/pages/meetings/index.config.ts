export default definePageConfig({ navigationBarTitleText: '会议与任务' })
