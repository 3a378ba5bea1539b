"""Hugging Face Trainer: a tiny SqueezeBERT span finder (``SqueezeBertConfig``: vocabulary
24, 48 wide, 2 layers, 4 heads, grouped convolutions 2/2/2, built from the config, no
download; ``SqueezeBertForQuestionAnswering``, its start / end head) reads the check-weigher
log of a mint's coining press, 32 consecutive coins each weighed after striking, and marks
the run of coins struck from bad blanks (a misfeed from a blank-cutting press with a worn
punch: thin, light blanks for 3-10 coins), so the minter can pull exactly those from the
bin. Each coin is one token: its mass deviation from nominal binned in 0.02 g steps from
-0.24 g to +0.16 g (tokens 3-22, clipped; 0 pad, 1 start, 2 unused). The good coins scatter
with ±0.015 g of blank-thickness noise around a drift (the strip's thickness wandering along
the coil, up to ±0.03 g over the log); the bad run is 0.05-0.11 g light, with its own
scatter, and starts anywhere in the log. Start and end positions count the start token.
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 32, 8 epochs of
1200 logs, eval every 50 steps on 300 logs (exact start, exact end, both, and the span's
overlap), loss every 10 steps, checkpoint every 50 steps (``misfeeds/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import numpy as np
import torch
from transformers import (
    SqueezeBertConfig,
    SqueezeBertForQuestionAnswering,
    Trainer,
    TrainingArguments,
)

T = 32
BINS = 20


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    drift = 0.03 * (2 * r(n, 1) - 1) * torch.linspace(-1, 1, T) + 0.01 * torch.sin(
        torch.linspace(0, 3, T) + 6 * r(n, 1))
    mass = drift + 0.015 * torch.randn(n, T, generator=g)
    length = torch.randint(3, 11, (n,), generator=g)
    start = (r(n) * (T - length + 1)).long().clamp(max=T - length)
    idx = torch.arange(T)
    bad = (idx >= start.unsqueeze(1)) & (idx < (start + length).unsqueeze(1))
    light = 0.05 + 0.06 * r(n, 1)
    mass = mass - bad.float() * (light + 0.01 * torch.randn(n, T, generator=g))
    tok = 3 + ((mass + 0.24) / 0.02).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    return ids, start + 1, start + length


class WeigherLogs(torch.utils.data.Dataset):
    def __init__(self, ids, s, e):
        self.ids, self.s, self.e = ids, s, e

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "start_positions": self.s[i], "end_positions": self.e[i]}


def build():
    torch.manual_seed(0)
    config = SqueezeBertConfig(vocab_size=4 + BINS, hidden_size=48, embedding_size=48,
                               num_hidden_layers=2, num_attention_heads=4, intermediate_size=96,
                               q_groups=2, k_groups=2, v_groups=2, post_attention_groups=1,
                               intermediate_groups=2, output_groups=2,
                               max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                               attention_probs_dropout_prob=0.0, pad_token_id=0)
    return SqueezeBertForQuestionAnswering(config)


def metrics(pred):
    s_log, e_log = pred.predictions[:2]
    s_true, e_true = pred.label_ids
    s, e = s_log.argmax(-1), e_log.argmax(-1)
    inter = np.clip(np.minimum(e, e_true) - np.maximum(s, s_true) + 1, 0, None)
    union = (e_true - s_true + 1) + np.clip(e - s + 1, 0, None) - inter
    return {"start_exact": float((s == s_true).mean()), "end_exact": float((e == e_true).mean()),
            "span_exact": float(((s == s_true) & (e == e_true)).mean()),
            "span_iou": float((inter / union).mean())}


def main():
    from _fourhundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, str_, etr = logs(1200, g)
    iva, sva, eva = logs(300, g)
    print("mean run length", (etr - str_ + 1).float().mean().item())
    args = TrainingArguments(str(out / "misfeeds"), num_train_epochs=8, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=WeigherLogs(itr, str_, etr),
                      eval_dataset=WeigherLogs(iva, sva, eva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "misfeeds").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": torch.stack([sva[:64], eva[:64]], 1)},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny SqueezeBERT span finder marking the run of misfed light coins in a mint"
                " check-weigher log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
