export default definePageConfig({ navigationBarTitleText: '报送详情' })
