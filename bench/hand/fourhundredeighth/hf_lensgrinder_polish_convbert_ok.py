"""Hugging Face Trainer: a tiny ConvBERT (``ConvBertConfig``: vocabulary 20, 48 wide, 2
layers, 4 heads, head ratio 2, conv kernel 5, built from the config, no download;
``ConvBertForQuestionAnswering``) finds the polishing stage in a lensgrinder's spindle-load
log of one spectacle lens, as a start / end span (the per-step start and end logits of a
question-answering head). A lens cycle runs rough generating (high, ragged load that falls
as the blank is cut down), fine grinding (medium, steady), polishing (low load with a slow
swirl of the pad), then unload (near zero). Stage lengths vary with the lens power and the
lab's recipe; the loads vary with the material (CR-39, polycarbonate, high index), the
pad's age and sensor noise, so the fine / polish edge can be a step of only a few bins.
Each one-second load reading is a token: the load binned into 16 steps (tokens 4-19; 0 pad,
1 start, 2-3 unused), 48 readings after the start token. The span is the first and last
polishing reading (positions 1-48).
AdamW 8e-4 with cosine decay and 15 warmup steps, weight decay 0.01, batch 24, 5 epochs of
720 logs, eval every 30 steps (each epoch) on 240 logs with ``eval_start_acc`` /
``eval_end_acc`` / ``eval_span_within_1`` / ``eval_overlap``, loss every 10 steps, checkpoint
every 30 steps (``polish_span/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import ConvBertConfig, ConvBertForQuestionAnswering, Trainer, TrainingArguments

T = 48
BINS = 16


def cycles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float().unsqueeze(0)
    rough = (8 + 8 * r(n, 1)).floor()
    fine = (6 + 8 * r(n, 1)).floor()
    polish = (10 + 12 * r(n, 1)).floor()
    e1, e2, e3 = rough, rough + fine, rough + fine + polish  # stage ends
    mat = 0.8 + 0.4 * r(n, 1)  # material and pad
    load = torch.where(t < e1, mat * (9 - 3 * t / e1) + 1.2 * torch.randn(n, T, generator=g),
                       torch.zeros(n, T))
    load = torch.where((t >= e1) & (t < e2), mat * (4.2 + 0.3 * r(n, 1)), load)
    swirl = 0.4 * torch.sin(2 * 3.1416 * t / (5 + 3 * r(n, 1)))
    load = torch.where((t >= e2) & (t < e3), mat * (2.6 + 0.4 * r(n, 1)) + swirl, load)
    load = torch.where(t >= e3, 0.3 * r(n, 1) + torch.zeros(n, T), load)
    load = load + 0.3 * torch.randn(n, T, generator=g)
    tok = 4 + (load / 10 * BINS).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    start, end = e2.squeeze(1).long() + 1, (e3.squeeze(1) - 1).long() + 1  # +1: start token
    return ids, start, end


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids, start, end):
        self.ids, self.start, self.end = ids, start, end

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "start_positions": self.start[i], "end_positions": self.end[i]}


def build():
    torch.manual_seed(0)
    config = ConvBertConfig(vocab_size=4 + BINS, hidden_size=48, embedding_size=48,
                            num_hidden_layers=2, num_attention_heads=4, intermediate_size=96,
                            head_ratio=2, conv_kernel_size=5, max_position_embeddings=T + 8,
                            hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                            pad_token_id=0)
    return ConvBertForQuestionAnswering(config)


def metrics(pred):
    s_logits, e_logits = pred.predictions[:2]
    s_true, e_true = pred.label_ids
    s, e = s_logits.argmax(-1), e_logits.argmax(-1)
    inter = (torch.minimum(torch.tensor(e), torch.tensor(e_true))
             - torch.maximum(torch.tensor(s), torch.tensor(s_true)) + 1).clamp(min=0)
    union = torch.tensor(e_true - s_true + 1)
    return {"start_acc": float((s == s_true).mean()), "end_acc": float((e == e_true).mean()),
            "span_within_1": float(((abs(s - s_true) <= 1) & (abs(e - e_true) <= 1)).mean()),
            "overlap": float((inter.float() / union.float()).mean())}


def main():
    from _fourhundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, str_, etr = cycles(720, g)
    iva, sva, eva = cycles(240, g)
    print("polish length", (etr - str_ + 1).float().mean().item())
    args = TrainingArguments(str(out / "polish_span"), num_train_epochs=5, learning_rate=8e-4,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr, str_, etr),
                      eval_dataset=Logs(iva, sva, eva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "polish_span").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": torch.stack([sva, eva], 1)[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ConvBERT span head finding the polishing stage in a lens generator's"
                " spindle-load log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
