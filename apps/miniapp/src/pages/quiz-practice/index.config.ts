export default definePageConfig({ navigationBarTitleText: '每日练习' })
