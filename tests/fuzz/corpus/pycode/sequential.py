nn.Sequential(
    nn.Conv2d(3, 16, (3, 5), stride=(2, 1), padding=(1, 2), padding_mode='reflect', bias=False),
    nn.MaxPool2d(2, ceil_mode=True),
    nn.ConvTranspose2d(16, 8, 4, 2, 1, output_padding=1, groups=8, dilation=1),
    nn.AvgPool2d(kernel_size=3, stride=1, padding=1, count_include_pad=False),
)
