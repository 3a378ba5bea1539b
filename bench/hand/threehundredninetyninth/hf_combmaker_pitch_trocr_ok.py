"""Hugging Face Trainer: a tiny TrOCR text decoder (``TrOCRConfig``: vocabulary 24, 48 wide,
2 layers, 4 heads, built from the config, no download; ``TrOCRForCausalLM``, used on its own
as a causal language model) learns the tooth pitch sequence of a combmaker's horn dressing
combs, to predict the next gap the gauge will read as it walks along a comb and flag a cut
that wanders. Teeth are cut with a stadda (the double-bladed comb saw whose second blade rides
in the last cut), so the pitch holds from tooth to tooth with a slow wander; a comb starts
with a coarse section (pitch 1.6-2.4 mm, 6-18 teeth), has one or two transition gaps half-way
between, then the fine section (0.7-1.1 mm) to the end. The gauge reads the first 32 gaps,
0.05 mm noise. Each gap is one token: the pitch binned in 0.1 mm steps from 0.5 to 2.6 mm
(tokens 3-23; 0 start, 1 pad, 2 end); the labels are the inputs shifted one to the left.
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 24, 5 epochs of
1200 combs, eval every 50 steps (each epoch) on 300 combs (next-gap accuracy and share within
one bin), loss every 10 steps, checkpoint every 50 steps (``stadda/checkpoint-N/`` with
``trainer_state.json``, two kept).
Healthy; numbers in the README."""
import torch
from transformers import Trainer, TrainingArguments, TrOCRConfig, TrOCRForCausalLM

T = 32
BINS = 21


def combs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    coarse = 1.6 + 0.8 * r(n, 1)
    fine = 0.7 + 0.4 * r(n, 1)
    k = torch.randint(6, 19, (n, 1), generator=g)
    two = r(n, 1) < 0.5
    i = torch.arange(T).unsqueeze(0)
    wander = torch.cumsum(0.03 * torch.randn(n, T, generator=g), 1)
    pitch = torch.where(i < k, coarse, fine) + wander
    mid = (coarse + fine) / 2
    pitch = torch.where(i == k, torch.where(two, coarse - (coarse - fine) / 3, mid), pitch)
    pitch = torch.where((i == k + 1) & two, fine + (coarse - fine) / 3, pitch)
    pitch = pitch + 0.05 * torch.randn(n, T, generator=g)
    tok = 3 + ((pitch - 0.5) / 0.1).floor().clamp(0, BINS - 1).long()
    seq = torch.cat([torch.zeros(n, 1, dtype=torch.long), tok], 1)
    return seq[:, :-1], seq[:, 1:]


class Combs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = TrOCRConfig(vocab_size=3 + BINS, d_model=48, decoder_layers=2,
                         decoder_attention_heads=4, decoder_ffn_dim=96,
                         max_position_embeddings=T + 8, dropout=0.0, use_cache=False,
                         pad_token_id=1, bos_token_id=0, eos_token_id=2,
                         decoder_start_token_id=0)
    return TrOCRForCausalLM(config)


def argmax_logits(logits, labels):
    return (logits[0] if isinstance(logits, tuple) else logits).argmax(-1)


def metrics(pred):
    p, y = pred.predictions, pred.label_ids
    return {"next_gap_acc": float((p == y).mean()),
            "within_one_bin": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = combs(1200, g)
    iva, lva = combs(300, g)
    print("token range", int(ltr.min()), int(ltr.max()))
    args = TrainingArguments(str(out / "stadda"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Combs(itr, ltr),
                      eval_dataset=Combs(iva, lva), compute_metrics=metrics,
                      preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "stadda").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny TrOCR decoder as a causal LM predicting the next tooth gap of a"
                " combmaker's stadda-cut horn comb, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
