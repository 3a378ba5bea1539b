"""Hugging Face Trainer: a tiny BART decoder (``BartConfig``: vocabulary 44, 48 wide, 2
decoder layers, 4 heads, built from the config, no download; ``BartForCausalLM``) forecasts
the next reading of the thermocouple in a bell-founder's casting pit, where a bronze bell
cools in its mould for days before it may be dug out (dug out too hot, it cracks). 32
readings, one every 3 h, from the pour at 1050-1150 °C: the casting loses heat by Newton's
law towards the pit (15-35 °C) with a time constant set by the bell's mass (12-60 h, heavier
bells slower), plus a slower second term for the loam mould (20 % of the excess, 3× the time
constant), and thermocouple noise of 6 °C. Each reading is one token: the temperature binned
into 40 steps of 30 °C from 0 °C (tokens 4-43; 0 pad, 1 start). The model reads the curve
so far and predicts the next bin (causal LM; ``BartForCausalLM`` does not shift its labels,
so the labels are the inputs moved one reading left, -100 at the end).
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 24, 4 epochs of
900 curves, eval every 25 steps on 200 curves (next-reading accuracy and share within one
bin), loss every 5 steps, checkpoint every 25 steps (``pitlog/checkpoint-N/`` with
``trainer_state.json``, 3 kept).
Healthy; numbers in the README."""
import torch
from transformers import BartConfig, BartForCausalLM, Trainer, TrainingArguments

T = 32
BINS = 40


def curves(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pour = 1050 + 100 * r(n, 1)
    pit = 15 + 20 * r(n, 1)
    tau = 12 + 48 * r(n, 1)
    t = 3.0 * torch.arange(T).float()
    ex = pour - pit
    temp = pit + 0.8 * ex * torch.exp(-t / tau) + 0.2 * ex * torch.exp(-t / (3 * tau))
    temp = temp + 6 * torch.randn(n, T, generator=g)
    tok = 4 + (temp / 30).floor().clamp(0, BINS - 1).long()
    return torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)


class Pit(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": nxt(self.ids[i:i + 1])[0]}


def nxt(ids):
    """Labels for BartForCausalLM: the next reading at every position (it does not shift)."""
    return torch.cat([ids[:, 1:], torch.full_like(ids[:, :1], -100)], 1)


def build():
    torch.manual_seed(0)
    config = BartConfig(vocab_size=4 + BINS, d_model=48, decoder_layers=2, encoder_layers=1,
                        decoder_attention_heads=4, encoder_attention_heads=4,
                        decoder_ffn_dim=96, encoder_ffn_dim=96, max_position_embeddings=T + 8,
                        dropout=0.0, attention_dropout=0.0, activation_dropout=0.0,
                        pad_token_id=0, bos_token_id=1, eos_token_id=2,
                        decoder_start_token_id=1, use_cache=False)
    return BartForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"next_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _threehundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = curves(900, g)
    iva = curves(200, g)
    print("token range", itr[:, 1:].min().item(), itr[:, 1:].max().item())
    args = TrainingArguments(str(out / "pitlog"), num_train_epochs=4, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=3,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Pit(itr),
                      eval_dataset=Pit(iva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "pitlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": nxt(iva[:64])},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BART decoder (BartForCausalLM) forecasting the next thermocouple reading"
                " of a bell cooling in its casting pit, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
