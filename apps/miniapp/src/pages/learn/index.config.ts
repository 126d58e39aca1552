export default definePageConfig({ navigationBarTitleText: '学习税法' })
