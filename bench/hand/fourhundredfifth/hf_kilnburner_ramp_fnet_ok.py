"""Hugging Face Trainer: a tiny FNet multiple-choice model (``FNetConfig``: vocabulary 36,
48 wide, 2 layers, Fourier mixing, built from the config, no download;
``FNetForMultipleChoice``) reads the last 12 hourly thermocouple readings of a kilnburner's
firing log and picks, out of 4 candidate next-4-hour stretches, the one the kiln really
logged. The firing follows its schedule: a ramp of 40-110 °C/h up to the peak (1000-1250 °C,
cone 06 to cone 8), then a soak at the peak, then natural cooling at about 60-90 °C/h; the
distractors are the same kiln 4 hours off-schedule: the ramp at half or double its rate, a
stretch already cooling while the kiln still climbs (or still climbing while it soaks),
and the right stretch shifted by 2-3 bins (another kiln's log). Readings are binned into 32
steps of 40 °C from 20 °C (tokens 4-35; 0 pad, 1 start, 2 separator). One sequence per
choice: start, 12 log tokens, separator, 4 candidate tokens (18 tokens), token types 0 / 1.
AdamW 2e-3 with cosine decay and 25 warmup steps, weight decay 0.01, batch 16 logs (64
sequences), 5 epochs of 1600 logs, eval and checkpoint every epoch (100 steps) on 200 logs,
loss every 10 steps (``firinglog/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import FNetConfig, FNetForMultipleChoice, Trainer, TrainingArguments

CTX, NEXT, BINS = 12, 4, 32


def bins(temp):
    return 4 + ((temp - 20.0) / 40.0).floor().clamp(0, BINS - 1).long()


def firing(n, g, hours):
    """Temperatures (n, len(hours)) of n firings at the given hours since the start."""
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rate = 40 + 70 * r(n, 1)
    peak = 1000 + 250 * r(n, 1)
    soak = 1 + 3 * r(n, 1)
    cool = 60 + 30 * r(n, 1)
    t_peak = (peak - 20) / rate
    up = 20 + rate * hours
    down = peak - cool * (hours - t_peak - soak).clamp(min=0)
    temp = torch.where(hours < t_peak, up, torch.where(hours < t_peak + soak, peak, down))
    return temp, rate, peak, t_peak, soak, cool


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    g2 = torch.Generator().manual_seed(int(torch.randint(0, 2**31, (1,), generator=g)))
    # where in the firing the 12 h window starts: anywhere from the ramp to the cooling
    start = 30 * r(n, 1)
    h = start + torch.arange(CTX + NEXT).float()
    temp, rate, peak, t_peak, soak, cool = firing(n, g2, h)
    temp = (temp + 6 * torch.randn(temp.shape, generator=g)).clamp(min=20)
    ctx, true = temp[:, :CTX], temp[:, CTX:]
    last = ctx[:, -1:]
    step = torch.arange(1, NEXT + 1).float()
    climbing = (h[:, CTX - 1:CTX] < t_peak)
    slow = torch.where(climbing, last + 0.5 * rate * step, last - 0.5 * cool * step)
    fast = torch.where(climbing, last + 2.0 * rate * step, last - 2.0 * cool * step)
    wrong_way = torch.where(climbing, last - cool * step, torch.minimum(last + rate * step, peak
                                                                        + 200))
    odd = torch.where(r(n, 1) < 0.5, slow, fast)
    shift = (2 + (r(n, 1) < 0.5).float()) * 40 * torch.where(r(n, 1) < 0.5, 1.0, -1.0)
    noisy = lambda x: (x + 6 * torch.randn(x.shape, generator=g)).clamp(20, 1300)  # noqa: E731
    cands = torch.stack([noisy(true), noisy(odd), noisy(wrong_way), noisy(true + shift)], 1)
    perm = torch.argsort(r(n, 4), 1)
    cands = torch.gather(cands, 1, perm.unsqueeze(2).expand(-1, -1, NEXT))
    label = (perm == 0).float().argmax(1)
    n_ids = bins(ctx).unsqueeze(1).expand(-1, 4, -1)
    ids = torch.cat([torch.ones(n, 4, 1, dtype=torch.long), n_ids,
                     torch.full((n, 4, 1), 2, dtype=torch.long), bins(cands)], 2)
    types = torch.cat([torch.zeros(n, 4, CTX + 2, dtype=torch.long),
                       torch.ones(n, 4, NEXT, dtype=torch.long)], 2)
    return ids, types, label


class Firings(torch.utils.data.Dataset):
    def __init__(self, ids, types, labels):
        self.ids, self.types, self.labels = ids, types, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "token_type_ids": self.types[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = FNetConfig(vocab_size=4 + BINS, hidden_size=48, num_hidden_layers=2,
                        intermediate_size=96, max_position_embeddings=CTX + NEXT + 8,
                        type_vocab_size=2, hidden_dropout_prob=0.0, pad_token_id=0)
    return FNetForMultipleChoice(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"pick_acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fourhundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ttr, ytr = logs(1600, g)
    iva, tva, yva = logs(200, g)
    print("answer positions", torch.bincount(ytr).tolist())
    args = TrainingArguments(str(out / "firinglog"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=25, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Firings(itr, ttr, ytr),
                      eval_dataset=Firings(iva, tva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "firinglog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "token_type_ids": tva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny FNet multiple-choice model picking a kiln's next 4 hours of firing log"
                " out of 4 candidates, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
