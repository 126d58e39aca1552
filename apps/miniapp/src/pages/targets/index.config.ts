export default definePageConfig({ navigationBarTitleText: '税收目标完成情况' })
