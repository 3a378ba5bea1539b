"""Hugging Face Trainer: a tiny SegFormer (``SegformerForSemanticSegmentation`` built from a
``SegformerConfig``, no download: 2 encoder stages of widths 16 and 32, one block each,
overlapping patch embeddings with stride 2 and 2, spatial-reduction 2 then 1, 1 and 2 heads,
decoder width 32) segments synthetic 32×32 RGB scenes into background, discs and squares. A
scene holds 1–3 shapes of random size (radius / half-side 3–7 px), position and colour (discs
reddish, squares bluish, each with a random tint of up to 0.3 a channel) on a smooth colour
gradient, with per-pixel noise of std 0.15 over everything; the masks are exact, but the logits
come out at 16×16 and are upsampled bilinearly to 32×32 in the model's own loss, so the edges
cost a little. AdamW 3e-3, weight decay 0.01, 20 warm-up steps then linear decay, batch 32,
1000 training and 240 evaluation scenes, 8 epochs (256 steps), eval every 32 steps (an epoch)
with per-class IoU and mean IoU, train loss every 10 steps.
Healthy: eval mean IoU 0.28 (background only) for the first epoch, then rising to 0.87 and
levelling over the last three evaluations (0.867, 0.868, 0.873; the upsampled 16×16 logits
blur the shape boundaries, background IoU 0.965), the eval loss falling to 0.092 and
flattening, the train loss (dropout 0.1 in the decoder) level with it at 0.094–0.099."""
import torch
import torch.nn.functional as F
from transformers import (
    SegformerConfig,
    SegformerForSemanticSegmentation,
    Trainer,
    TrainingArguments,
)

SIZE, CLASSES = 32, 3


def scenes(n, g):
    yy, xx = torch.meshgrid(torch.arange(float(SIZE)), torch.arange(float(SIZE)), indexing="ij")
    imgs = torch.zeros(n, 3, SIZE, SIZE)
    masks = torch.zeros(n, SIZE, SIZE, dtype=torch.long)
    for i in range(n):
        base = torch.rand(3, 1, 1, generator=g) * 0.6
        slope = (torch.rand(3, 1, 1, generator=g) - 0.5) * 0.6
        img = base + slope * (xx + yy) / (2 * SIZE)
        for _ in range(int(torch.randint(1, 4, (1,), generator=g))):
            kind = int(torch.randint(1, 3, (1,), generator=g))
            cx, cy = torch.randint(4, SIZE - 4, (2,), generator=g).tolist()
            r = 3 + 4 * float(torch.rand(1, generator=g))
            if kind == 1:
                m = (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
            else:
                m = ((xx - cx).abs() <= r) & ((yy - cy).abs() <= r)
            hue = torch.rand(3, 1, 1, generator=g) * 0.3
            colour = hue + torch.tensor([0.6, 0.1, 0.0] if kind == 1 else [0.0, 0.2, 0.6])[:, None,
                                                                                        None]
            img = torch.where(m, colour.expand(3, SIZE, SIZE), img)
            masks[i][m] = kind
        imgs[i] = img
    imgs = imgs + 0.15 * torch.randn(n, 3, SIZE, SIZE, generator=g)
    return (imgs - 0.45) / 0.3, masks


class Scenes(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = SegformerConfig(num_channels=3, num_encoder_blocks=2, depths=[1, 1],
                             sr_ratios=[2, 1], hidden_sizes=[16, 32], patch_sizes=[3, 3],
                             strides=[2, 2], num_attention_heads=[1, 2], mlp_ratios=[2, 2],
                             decoder_hidden_size=32, num_labels=CLASSES,
                             classifier_dropout_prob=0.1)
    return SegformerForSemanticSegmentation(config)


def iou_metrics(pred):
    logits = torch.as_tensor(pred.predictions)
    if logits.dim() == 3:  # a single tensor was collapsed
        logits = logits.unsqueeze(0)
    up = F.interpolate(logits, size=(SIZE, SIZE), mode="bilinear", align_corners=False)
    p, y = up.argmax(1), torch.as_tensor(pred.label_ids)
    ious = []
    for c in range(CLASSES):
        inter = ((p == c) & (y == c)).sum().item()
        union = ((p == c) | (y == c)).sum().item()
        ious.append(inter / max(union, 1))
    return {"mean_iou": sum(ious) / CLASSES, "iou_background": ious[0], "iou_disc": ious[1],
            "iou_square": ious[2]}


def main():
    from _thirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = scenes(1240, g)
    train, val = Scenes(x[:1000], y[:1000]), Scenes(x[1000:], y[1000:])
    args = TrainingArguments(str(out / "segformer"), num_train_epochs=8, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=32,
                             save_strategy="steps", save_steps=32, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=iou_metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "segformer").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": x[1000:1032], "targets": y[1000:1032]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny SegFormer segmenting discs and squares, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
