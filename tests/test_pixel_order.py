"""Image batches whose axes were relabelled with view() (not permute()) are alike along one
image axis and unrelated along the other (the forty-fourth set's stereo pairs: 0.34 and
−0.02); pictures in order are alike both ways; noise says nothing."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from dldoctor.probes.pixel_order import pixel_order_finding


def _pictures(n: int = 32, height: int = 20, width: int = 32) -> torch.Tensor:
    """Smooth random textures, NHWC as a loader gives them: a stereo pair, the right frame
    the left one shifted by a pixel (two channels alike, as a picture's colours are)."""
    gen = torch.Generator().manual_seed(0)
    coarse = torch.randn(n, 1, height // 4, width // 4 + 1, generator=gen)
    wide = F.interpolate(coarse, size=(height, width + 4), mode="bilinear", align_corners=False)
    nchw = torch.cat([wide[..., 1:width + 1], wide[..., 2:width + 2]], dim=1)
    return nchw.permute(0, 2, 3, 1).contiguous()  # (n, H, W, 2)


def test_a_batch_viewed_into_nchw_is_out_of_order() -> None:
    nhwc = _pictures()
    viewed = nhwc.view(nhwc.shape[0], 2, 20, 32)
    found = pixel_order_finding(viewed)
    assert found is not None and found.value is True
    assert "view() instead of permute()" in found.evidence


def test_a_batch_permuted_into_nchw_is_in_order() -> None:
    nhwc = _pictures()
    found = pixel_order_finding(nhwc.permute(0, 3, 1, 2))
    assert found is not None and found.value is False


def test_noise_and_non_images_say_nothing() -> None:
    gen = torch.Generator().manual_seed(0)
    assert pixel_order_finding(torch.randn(16, 3, 16, 16, generator=gen)) is None
    assert pixel_order_finding(torch.randn(16, 64, 16, 16, generator=gen)) is None  # features
    assert pixel_order_finding(torch.randn(16, 3, 4, 4, generator=gen)) is None  # too small
    assert pixel_order_finding(torch.randn(16, 32, generator=gen)) is None
