export default definePageConfig({ navigationBarTitleText: '匿名举报' })
