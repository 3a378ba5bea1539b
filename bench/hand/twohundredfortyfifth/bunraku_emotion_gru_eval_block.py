"""Plain torch: a GRU names the emotion a bunraku puppet shows (grief, joy, anger, surprise)
from 48 frames × 6 motion-capture channels on the puppet (head tilt, head turn, right-hand
height, left-hand height, foot stamp, torso lean), moved by its three puppeteers: grief is a
slow head droop with a sway, joy a quick bobbing of head and hands, anger stamps and a forward
lean, surprise a sudden lift of head and both hands at a random frame; each clip has a random
amplitude, phase and sensor noise. GRU(6→48) over the clip, Linear(48→4) on the last state,
Adam 3e-3, batch 32, 12 epochs of 1024 clips, shuffled.
The bug: the training step reuses the evaluation helper's ``with torch.no_grad():`` block for
the forward pass (it also counts the batch's correct answers), and after PyTorch complained
that the loss "does not require grad" the author added ``loss.requires_grad_(True)``. The
backward pass then stops at the loss. No parameter ever gets a gradient and Adam skips them, so the model stays at its
initialisation: train loss 1.30–1.38 per step (1.33–1.36 at the printed steps) from step 1 to 384, val loss 1.3387 and val accuracy
0.3281 at every evaluation (steps 32–384). Control (``sed '82s/no_grad/enable_grad/'``, the
training forward pass with gradients): val accuracy 1.0 from step 32, val loss 0.1489 (step
32) → 0.0164 (64) → 0.0008 (384)."""
import json

import torch
import torch.nn as nn


def clips(n, g, T=48):
    t = torch.linspace(0, 1, T)
    y = torch.randint(0, 4, (n,), generator=g)
    amp = 0.7 + 0.6 * torch.rand(n, 1, generator=g)
    ph = 6.3 * torch.rand(n, 1, generator=g)
    x = 0.3 * torch.randn(n, T, 6, generator=g)
    for c, k in enumerate(y.tolist()):
        a, p = amp[c], ph[c]
        if k == 0:  # grief: droop and slow sway
            x[c, :, 0] -= a * t * 1.5
            x[c, :, 1] += a * torch.sin(4 * t + p)
            x[c, :, 5] -= 0.5 * a
        elif k == 1:  # joy: quick bobbing
            x[c, :, 0] += a * torch.sin(30 * t + p)
            x[c, :, 2] += a * torch.sin(30 * t + p + 0.5)
            x[c, :, 3] += a * torch.sin(30 * t + p + 0.5)
        elif k == 2:  # anger: stamps and lean
            x[c, :, 4] += 2 * a * (torch.sin(18 * t + p) > 0.8).float()
            x[c, :, 5] += a
        else:  # surprise: sudden lift at a random frame
            j = int(torch.randint(8, T - 8, (1,), generator=g))
            x[c, j:, 0] += 1.5 * a
            x[c, j:, 2] += 1.5 * a
            x[c, j:, 3] += 1.5 * a
    return x, y


class EmotionGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(6, 48, batch_first=True)
        self.head = nn.Linear(48, 4)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return EmotionGRU()


def main():
    from _twohundredfortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clips(1024, g)
    xva, yva = clips(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    step = 0
    with open(out / "steps.jsonl", "w") as f:
        for epoch in range(1, 13):
            model.train()
            for xb, yb in train:
                with torch.no_grad():
                    logits = model(xb)
                    correct = (logits.argmax(1) == yb).sum().item()
                loss = loss_fn(logits, yb)
                loss.requires_grad_(True)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                rec = {"step": step, "epoch": epoch, "loss": round(loss.item(), 4),
                       "batch_acc": round(correct / len(yb), 4)}
                if step % 32 == 0:
                    model.eval()
                    with torch.no_grad():
                        lv = model(xva)
                    rec["val_loss"] = round(loss_fn(lv, yva).item(), 4)
                    rec["val_acc"] = round((lv.argmax(1) == yva).float().mean().item(), 4)
                    print(rec)
                    model.train()
                f.write(json.dumps(rec) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": 12, "step": step}, out / "emotion_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["gradient_not_flowing"],
           checkpoint="emotion_gru.pt", log="steps.jsonl",
           what="bunraku puppet emotion GRU trained with the forward pass inside torch.no_grad()"
                " and loss.requires_grad_(True) added to silence the error",
           complaint=('我们用 GRU 从文乐人偶的动作捕捉数据（48 帧 × 6 个通道）识别四种情绪（悲、喜、怒、惊）。训练 12 个 epoch、384 步，训练 loss 一直在 1.33–1.36 之间晃，验证 loss 每次都是 1.3387，验证准确率每次都是 0.3281，一位小数都不变，就好像模型根本没在训练。程序没有报错。是 GRU 不适合这个任务，还是需要更多数据？'))


if __name__ == "__main__":
    main()
